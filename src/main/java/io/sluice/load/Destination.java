package io.sluice.load;

import io.sluice.pipeline.DestinationCapabilities;
import io.sluice.pipeline.PipelineState;
import io.sluice.schema.Schema;
import java.util.List;

/** Where load packages are committed. One instance serves one run, or one read. */
public interface Destination {
    /** What the destination can do, as its kind declares it; every destination honours what it declares. */
    DestinationCapabilities capabilities();

    /** The latest schema stored for the pipeline in the dataset, or the empty schema before the first load. */
    Schema storedSchema(String pipeline, String dataset);

    /** The pipeline's state as its latest committed load left it, or the empty state before the first. */
    PipelineState storedState(String pipeline, String dataset);

    /** The pipeline's latest schema and state together, as {@link #storedSchema} and {@link #storedState} read them. */
    StoredPipeline storedPipeline(String pipeline, String dataset);

    /** Every stored schema version of the pipeline, newest first. */
    List<SchemaVersionRecord> schemaHistory(String pipeline, String dataset);

    /** Whether a load with this id was committed into the dataset: a package is never committed twice. */
    boolean committed(String dataset, String loadId);

    /** The first {@code limit} rows of a table. */
    TablePreview preview(String dataset, String table, int limit);

    /** Whether the job's rows are whole in the destination's staging area, from an earlier attempt. */
    boolean jobLoaded(LoadPackage loadPackage, LoadPackages.LoadJob job);

    /**
     * Puts one job's staged file where the commit reads it — into the staging area, in a transaction of its own, for a
     * destination that has one (the file itself serves one that can read it in place); loading it again replaces what
     * an earlier attempt staged.
     *
     * @throws LoadException saying what could not be loaded and why
     */
    void loadJob(LoadPackage loadPackage, LoadPackages.LoadJob job);

    /**
     * Drops the tables the package drops, moves the rows of every job into their tables by the write dispositions,
     * stores the schema version and the pipeline state when the package brings them, and records the load, all in one
     * transaction: either everything is committed, or nothing is.
     *
     * @throws LoadException saying what could not be committed and why
     */
    void commit(LoadPackage loadPackage, LoadListener listener);

    /** Asks a load in progress to stop; it then throws and commits nothing. Safe from any thread. */
    void cancel();
}
