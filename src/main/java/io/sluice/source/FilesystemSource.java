package io.sluice.source;

import io.sluice.pipeline.FilesystemSourceSpec;
import io.sluice.pipeline.FilesystemSourceSpec.FileResource;
import io.sluice.pipeline.ResourceSpec;
import io.sluice.schema.ColumnHint;
import io.sluice.schema.DataType;
import io.sluice.source.sql.TypedRows;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads each resource's glob of files in a {@link FileStore}, in path order. Files cannot be asked for a part of
 * their items, so an incremental window is not pushed down: every item is read and the engine filters it (with a
 * row order, reading stops where the items leave the window). A resource that reads changed files only keeps the
 * files it read in its source state; any other reads the whole glob every run. Its files are its {@link #parts}.
 */
final class FilesystemSource implements Source {
    private final FilesystemSourceSpec spec;
    private final FileStore store;
    private final FileFormats formats;
    /** Each glob is listed once per run: progress wants the total size before extraction reads the same files. */
    private final Map<String, List<FileEntry>> listed = new ConcurrentHashMap<>();

    FilesystemSource(FilesystemSourceSpec spec) {
        this.spec = spec;
        this.store = new LocalFileStore(spec.basePath());
        this.formats = new FileFormats(store);
    }

    @Override
    public List<String> resources() {
        return spec.resources().stream().map(FileResource::name).toList();
    }

    /** Declares the file columns, and the columns of Parquet files as the first file types them. */
    @Override
    public List<? extends ResourceSpec> resolve(List<? extends ResourceSpec> declared) {
        List<FileResource> resources = new ArrayList<>();
        for (ResourceSpec spec : declared) {
            FileResource resource = (FileResource) spec;
            List<ColumnHint> found = new ArrayList<>(formats.parquetColumns(resource, files(resource).getFirst()));
            resource.fileColumns().name().ifPresent(name -> found.add(hint(name, DataType.TEXT)));
            resource.fileColumns().modified().ifPresent(name -> found.add(hint(name, DataType.TIMESTAMP)));
            resources.add(found.isEmpty() ? resource : resource.withHints(TypedRows.declaring(resource.hints(), found)));
        }
        return resources;
    }

    @Override
    public void extract(String resourceName, Optional<IncrementalWindow> window, SourceState state, ItemSink sink) {
        ResourceParts files = parts(resourceName, state).orElseThrow();
        for (ResourceParts.Part file : files.parts()) {
            if (!files.read(file, sink)) {
                break;
            }
        }
        files.finished();
    }

    @Override
    public Optional<ResourceParts> parts(String resourceName, SourceState state) {
        FileResource resource = resource(resourceName);
        return Optional.of(new FileParts(resource, formats, files(resource), state));
    }

    @Override
    public long totalBytes(String resourceName) {
        return files(resource(resourceName)).stream().mapToLong(FileEntry::size).sum();
    }

    private FileResource resource(String name) {
        return spec.resources().stream()
                .filter(candidate -> candidate.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no resource " + name));
    }

    private List<FileEntry> files(FileResource resource) {
        return listed.computeIfAbsent(resource.name(), name -> list(resource));
    }

    private List<FileEntry> list(FileResource resource) {
        List<FileEntry> files;
        try {
            files = store.list(resource.glob());
        } catch (IOException e) {
            throw SourceException.reading("the files under " + store.location(), e);
        }
        if (files.isEmpty()) {
            throw new SourceException("resource '" + resource.name() + "': no files match glob '" + resource.glob()
                    + "' under " + store.location());
        }
        return files;
    }

    private static ColumnHint hint(String name, DataType type) {
        return new ColumnHint(name, Optional.of(type), Optional.empty(), false, 0, 0, false, false, Optional.empty());
    }
}
