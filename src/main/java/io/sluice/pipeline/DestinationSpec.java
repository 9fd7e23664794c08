package io.sluice.pipeline;

/** Where a pipeline loads to. */
public sealed interface DestinationSpec permits DuckDbDestinationSpec, PostgresDestinationSpec {
    /** What destinations of this kind can do; a spec is checked against it. */
    DestinationCapabilities capabilities();
}
