package io.sluice.pipeline;

import java.util.List;

/** Where a pipeline reads from. */
public sealed interface SourceSpec permits FilesystemSourceSpec, RestApiSourceSpec, SqlDatabaseSourceSpec {
    List<? extends ResourceSpec> resources();
}
