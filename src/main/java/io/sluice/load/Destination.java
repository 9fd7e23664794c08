package io.sluice.load;

import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Schema;
import java.util.List;

/** Where load packages are committed. One instance serves one run, or one read. */
public interface Destination {
    /** Longest identifier the destination takes, in bytes; longer names are shortened before they get here. */
    int maxIdentifierLength();

    /** The latest schema stored for the pipeline in the dataset, or the empty schema before the first load. */
    Schema storedSchema(String pipeline, String dataset);

    /** The pipeline's state as its latest committed load left it, or the empty state before the first. */
    PipelineState storedState(String pipeline, String dataset);

    /** Every stored schema version of the pipeline, newest first. */
    List<SchemaVersionRecord> schemaHistory(String pipeline, String dataset);

    /** Whether a load with this id was committed into the dataset: a package is never committed twice. */
    boolean committed(String dataset, String loadId);

    /** The first {@code limit} rows of a table. */
    TablePreview preview(String dataset, String table, int limit);

    /**
     * Drops and empties the tables the package says, loads every table file of it, stores its schema version and
     * pipeline state when it brings them, and records the load, all in one transaction: either everything is
     * committed, or nothing is.
     *
     * @throws LoadException saying what could not be loaded and why
     */
    void load(LoadPackage loadPackage, LoadListener listener);

    /** Asks a load in progress to stop; it then throws and commits nothing. Safe from any thread. */
    void cancel();
}
