package io.sluice.pipeline;

/** Where a pipeline loads to. */
public sealed interface DestinationSpec permits DuckDbDestinationSpec, PostgresDestinationSpec {
}
