package io.sluice.source;

import io.sluice.pipeline.FilesystemSourceSpec;
import io.sluice.pipeline.FilesystemSourceSpec.FileResource;
import io.sluice.pipeline.FilesystemSourceSpec.Format;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Reads each resource's glob of files under the base path, in path order. Files cannot be asked for a part of
 * their items, so an incremental window is not pushed down: every item is read and the engine filters it (with a
 * row order, reading stops where the items leave the window). It keeps no source state: every run reads the whole
 * glob, as a run of a pipeline without incremental loading should.
 */
final class FilesystemSource implements Source {
    private final FilesystemSourceSpec spec;
    /** Each glob is listed once per run: progress wants the total size before extraction reads the same files. */
    private final Map<String, List<Path>> listed = new ConcurrentHashMap<>();

    FilesystemSource(FilesystemSourceSpec spec) {
        this.spec = spec;
    }

    @Override
    public List<String> resources() {
        return spec.resources().stream().map(FileResource::name).toList();
    }

    @Override
    public void extract(String resourceName, Optional<IncrementalWindow> window, SourceState state, ItemSink sink) {
        FileResource resource = resource(resourceName);
        for (Path file : files(resource)) {
            Format format = resource.format().orElseGet(() -> formatOf(file));
            FileReader reader = switch (format) {
                case JSONL -> new JsonLinesReader();
                case CSV -> new CsvReader(resource.csvDelimiter(), resource.csvHeader());
            };
            try (InputStream input = new CountingInputStream(Files.newInputStream(file), sink)) {
                if (!reader.read(input, file.toString(), sink)) {
                    return;
                }
            } catch (IOException e) {
                throw SourceException.reading(file.toString(), e);
            }
        }
    }

    @Override
    public long totalBytes(String resourceName) {
        return files(resource(resourceName)).stream().mapToLong(file -> {
            try {
                return Files.size(file);
            } catch (IOException e) {
                return 0;
            }
        }).sum();
    }

    private FileResource resource(String name) {
        return spec.resources().stream()
                .filter(candidate -> candidate.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no resource " + name));
    }

    private List<Path> files(FileResource resource) {
        return listed.computeIfAbsent(resource.name(), name -> list(resource));
    }

    private List<Path> list(FileResource resource) {
        Path base = spec.basePath().toAbsolutePath().normalize();
        if (!Files.isDirectory(base)) {
            throw new SourceException("base_path " + base + " is not a readable directory");
        }
        PathMatcher matcher = base.getFileSystem().getPathMatcher("glob:" + resource.glob());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(base)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(file -> matcher.matches(base.relativize(file)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw SourceException.reading("the files under " + base, e);
        } catch (UncheckedIOException e) {
            throw SourceException.reading("the files under " + base, e.getCause());
        }
        if (files.isEmpty()) {
            throw new SourceException("resource '" + resource.name() + "': no files match glob '" + resource.glob()
                    + "' under " + base);
        }
        return files;
    }

    private static Format formatOf(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return Format.JSONL;
        }
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        throw new SourceException("cannot tell the format of " + file + ": set the resource's format to JSONL or CSV");
    }
}
