package io.sluice.source;

import io.sluice.pipeline.ResourceSpec;
import java.util.List;
import java.util.Optional;

/** A source of items: its resources, each read as a stream of JSON-like items. */
public interface Source {
    /** The resources to extract, by name, in the order the spec lists them. */
    List<String> resources();

    /**
     * Reads the items of one resource into {@code sink}, in order, until the sink wants no more.
     *
     * @param window the incremental window of the resource, when it loads incrementally: a source that can ask for
     *               less (a query parameter, a WHERE clause) should; the engine drops items outside it either way
     * @param state  what the source kept about the resource in the last committed run; what it writes there is
     *               committed with this run's load
     * @throws SourceException naming the file, URL or record that could not be read
     */
    void extract(String resource, Optional<IncrementalWindow> window, SourceState state, ItemSink sink);

    /**
     * The resources a run extracts, with what the source knows of them, asked once at the start of each extraction: a
     * source that finds resources when it runs (the tables of a database) adds them, and one that knows their column
     * types (from the database) declares them in their hints. By default the resources the spec declares.
     *
     * @throws SourceException naming the database or URL that could not be asked
     */
    default List<? extends ResourceSpec> resolve(List<? extends ResourceSpec> declared) {
        return declared;
    }

    /** How many bytes {@code resource} will read in all, for progress; 0 when not known. */
    long totalBytes(String resource);
}
