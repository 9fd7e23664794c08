package io.sluice.source;

import io.sluice.pipeline.FilesystemSourceSpec.FileColumns;
import io.sluice.pipeline.FilesystemSourceSpec.FileResource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one filesystem resource as its parts: all that its glob lists or, for a resource that reads changed
 * files only, those its state has not seen as they are now, which it remembers once every part was read.
 */
final class FileParts implements ResourceParts {
    private final FileResource resource;
    private final FileFormats formats;
    private final List<FileEntry> listed;
    private final SourceState state;
    private final SeenFiles seen;

    FileParts(FileResource resource, FileFormats formats, List<FileEntry> listed, SourceState state) {
        this.resource = resource;
        this.formats = formats;
        this.listed = List.copyOf(listed);
        this.state = state;
        this.seen = new SeenFiles(state);
    }

    @Override
    public List<Part> parts() {
        List<Part> parts = new ArrayList<>();
        for (int position = 0; position < listed.size(); position++) {
            FileEntry file = listed.get(position);
            if (!resource.changedFilesOnly() || !seen.unchanged(file)) {
                parts.add(new Part(file.path(), position, file.size()));
            }
        }
        return parts;
    }

    @Override
    public boolean read(Part part, ItemSink sink) {
        FileEntry file = listed.get(part.position());
        boolean more = formats.read(resource, file, withFileColumns(resource.fileColumns(), file, sink));
        seen.read(file);
        return more;
    }

    @Override
    public void finished() {
        if (resource.changedFilesOnly()) {
            seen.writeTo(state, listed);
        }
    }

    /** Adds the columns that name the file each item came from, when the resource asks for them. */
    private static ItemSink withFileColumns(FileColumns columns, FileEntry file, ItemSink sink) {
        if (columns.name().isEmpty() && columns.modified().isEmpty()) {
            return sink;
        }
        String modified = file.modified().truncatedTo(ChronoUnit.MICROS).toString();
        return ItemSink.withItems(sink, (item, origin) -> {
            columns.name().ifPresent(column -> item.put(column, file.path()));
            columns.modified().ifPresent(column -> item.put(column, modified));
            return sink.item(item, origin);
        });
    }
}
