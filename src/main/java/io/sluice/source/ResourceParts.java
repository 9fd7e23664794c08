package io.sluice.source;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One resource of a source as the separate parts it reads (the files of a glob), which may be read at once, each on a
 * thread of its own, and in any order: what {@link Source#extract} reads in one stream, split where the source's own
 * input is split.
 */
public interface ResourceParts {
    /**
     * One part.
     *
     * @param name what it is called in messages (the file's path)
     * @param position its place among every part the resource has, read or not (a file's place in the glob's listing):
     *                 the same for the same part in every attempt of a run
     * @param bytes its size, for progress
     */
    record Part(String name, int position, long bytes) {
        public Part {
            requireNonNull(name, "name is null");
            if (position < 0 || bytes < 0) {
                throw new IllegalArgumentException("part " + name + " has a negative position or size");
            }
        }
    }

    /** The parts to read, in the order {@link Source#extract} reads them. */
    List<Part> parts();

    /**
     * Reads the items of one part into {@code sink}, in order, as {@link Source#extract} does. Safe to call at once for
     * different parts, and again for a part read before (it is read again, whole).
     *
     * @return false when the sink wanted no more items
     * @throws SourceException naming the part that could not be read
     */
    boolean read(Part part, ItemSink sink);

    /** Every part was read and handed over: what the source keeps of them goes into the resource's state. */
    void finished();
}
