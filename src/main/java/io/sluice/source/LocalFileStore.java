package io.sluice.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The files under a directory of the local disk (or a mounted volume). */
final class LocalFileStore implements FileStore {
    private final Path base;

    LocalFileStore(Path base) {
        this.base = base.toAbsolutePath().normalize();
    }

    @Override
    public List<FileEntry> list(String glob) throws IOException {
        if (!Files.isDirectory(base)) {
            throw new SourceException("base_path " + base + " is not a readable directory");
        }
        PathMatcher matcher = base.getFileSystem().getPathMatcher("glob:" + glob);
        List<FileEntry> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(base)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                Path relative = base.relativize(file);
                if (Files.isRegularFile(file) && matcher.matches(relative)) {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    files.add(new FileEntry(relative.toString().replace(file.getFileSystem().getSeparator(), "/"),
                            attributes.size(), attributes.lastModifiedTime().toInstant()));
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        files.sort(Comparator.comparing(FileEntry::path));
        return files;
    }

    @Override
    public InputStream open(FileEntry file) throws IOException {
        return Files.newInputStream(path(file));
    }

    @Override
    public Optional<Path> localPath(FileEntry file) {
        return Optional.of(path(file));
    }

    @Override
    public String location() {
        return base.toString();
    }

    private Path path(FileEntry file) {
        return base.resolve(file.path());
    }
}
