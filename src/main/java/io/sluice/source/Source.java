package io.sluice.source;

import io.sluice.pipeline.ResourceSpec;
import java.util.List;
import java.util.Optional;

/**
 * A source of items: its resources, each read as a stream of JSON-like items. This is the whole SPI a source type
 * implements.
 *
 * <h2>Adding a source type</h2>
 * A new source type is one class implementing this interface plus its proto message: a message in the {@code Source}
 * oneof of {@code pipeline.proto}, its domain record implementing the sealed {@code io.sluice.pipeline.SourceSpec}
 * (the spec reader maps and validates it in one pass), and one case in {@link Sources#open}, whose exhaustive switch
 * will not compile until it is there. It passes the source conformance suite ({@code SourceConformance} in the tests)
 * with a subclass that says how to add rows to it and how to break it. The source knows nothing of normalizing,
 * loading or the catalog: it reads, and hands items to the {@link ItemSink}.
 *
 * <h2>Lifecycle and threading</h2>
 * A run opens one instance and, once per attempt, calls {@link #resolve} and then {@link #extract} for each resource
 * it returned, each resource on a virtual thread of its own, several at once: {@code extract} must be safe to call
 * concurrently for different resources, and a source that limits its own concurrency (a per-host limit) blocks inside
 * {@code extract}. Calls for one resource never overlap. The instance is dropped after the run; a source holds no
 * connection between calls (it opens what it needs inside {@code extract} and closes it there).
 *
 * <h2>Incremental windows</h2>
 * For a resource with an {@code incremental} spec, the engine computes an {@link IncrementalWindow} from the cursor
 * committed by the last run (less its lag) or the initial value. A source pushes it down when it can (an SQL
 * {@code WHERE}, a REST query parameter, files by modification time), so that it reads less; it may hand over items
 * outside the window, which the engine filters and deduplicates at the start bound. The engine, not the source, moves
 * and stores the cursor. When the items come in cursor order, the sink answers false at the first item past the end,
 * and the source stops.
 *
 * <h2>Typed rows</h2>
 * A source whose rows are flat and typed already (an SQL table, whose column types it declared in {@link #resolve})
 * may hand them over as {@link RowBatch}es through {@link ItemSink#rows} instead of one item each: value arrays
 * against one column list, which the engine writes into the staged files without building an item per row. The
 * sink's answer means what {@link ItemSink#item}'s does. Where the engine needs items (a masking transform, an
 * incremental cursor), the sink turns each row into its item, so a source need not know which path its rows take.
 *
 * <h2>Parts</h2>
 * A source whose resource is split already (the files of a glob) offers the pieces as {@link ResourceParts}, and the
 * engine reads the resource through them instead of {@link #extract}: on several threads at once, each part into a
 * sink of its own, when the order of the items across parts does not matter (no incremental cursor, no frozen
 * contract) and there is more than one part; otherwise one part after another, as {@code extract} would. Either way the
 * engine numbers a part's rows from its position, so that a part gives the same row ids whichever way it was read.
 *
 * <h2>Source state</h2>
 * {@link SourceState} is what a source remembers about one resource between runs (the files it read, where a paged
 * walk stopped), as JSON. It is committed in the destination's transaction with the rows the run loads, so a run that
 * fails, or whose load fails, leaves it as it was, and the next run reads the same data again: a source writes its
 * state only for data it has handed to the sink, never ahead of it.
 *
 * <h2>Cancelling and failures</h2>
 * A cancelled or timed-out run makes the sink throw from {@link ItemSink#item} and interrupts the resource's thread: a
 * source lets both through unchanged (it does not catch {@code RuntimeException} around the sink, nor swallow
 * {@link InterruptedException}: it restores the flag and throws), and a blocking call it makes (an HTTP request, a
 * JDBC query) should end on interrupt. A source reports what it cannot read as a {@link SourceException} whose message
 * names the URL, table or file and the cause, never a secret; {@code transientFailure} says whether a retry of the run
 * may succeed (a dropped connection) or not (a 404, a syntax error, a corrupt file). A bad record that does not stop
 * the rest goes to {@link ItemSink#rejected}, where the resource's contract counts it. A source does not retry whole
 * reads on its own: the run's retry policy does; retrying single requests (HTTP 429/503) is the source's business.
 */
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

    /**
     * The parts of {@code resource} that may be read at once, with what {@code state} keeps of them; empty (the default)
     * for a resource read as one stream.
     *
     * @throws SourceException naming the files or URL that could not be listed
     */
    default Optional<ResourceParts> parts(String resource, SourceState state) {
        return Optional.empty();
    }

    /** How many bytes {@code resource} will read in all, for progress; 0 when not known. */
    long totalBytes(String resource);
}
