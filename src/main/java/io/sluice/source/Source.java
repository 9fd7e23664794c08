package io.sluice.source;

import java.util.List;

/** A source of items: its resources, each read as a stream of JSON-like items. */
public interface Source {
    /** The resources to extract, by name, in the order the spec lists them. */
    List<String> resources();

    /**
     * Reads every item of one resource into {@code sink}, in order.
     *
     * @throws SourceException naming the file, URL or record that could not be read
     */
    void extract(String resource, ItemSink sink);

    /** How many bytes {@code resource} will read in all, for progress; 0 when not known. */
    long totalBytes(String resource);
}
