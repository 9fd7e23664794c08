package io.sluice.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The files of a resource that earlier runs read, kept in its source state as {@code {"files": [{"path", "size",
 * "modified"}]}}: a file listed again with the same size and modification time need not be read again. Files read
 * at once on several threads are marked read from each.
 */
final class SeenFiles {
    private static final String FILES = "files";

    private final Set<FileEntry> seen = new HashSet<>();

    SeenFiles(SourceState state) {
        for (JsonNode file : state.read().path(FILES)) {
            seen.add(new FileEntry(file.path("path").asText(), file.path("size").asLong(),
                    Instant.parse(file.path("modified").asText(Instant.EPOCH.toString()))));
        }
    }

    /** Whether {@code file} was read before, as it is now. */
    synchronized boolean unchanged(FileEntry file) {
        return seen.contains(file);
    }

    /** {@code file} was read in this run. */
    synchronized void read(FileEntry file) {
        seen.add(file);
    }

    /**
     * Writes what is seen of the files listed now into {@code state}: a file no longer listed is forgotten, so that
     * one put back is read again.
     */
    synchronized void writeTo(SourceState state, List<FileEntry> listed) {
        ObjectNode stored = state.read();
        ArrayNode files = stored.putArray(FILES);
        for (FileEntry file : listed) {
            if (seen.contains(file)) {
                files.addObject().put("path", file.path()).put("size", file.size()).put("modified", file.modified().toString());
            }
        }
        state.write(stored);
    }
}
