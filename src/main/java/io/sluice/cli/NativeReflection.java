package io.sluice.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.catalog.Refresh;
import io.sluice.catalog.RunSummary;
import io.sluice.pipeline.PipelineState;
import io.sluice.runs.RunEvent;
import io.sluice.schema.Schema;

/**
 * Tells the native build which classes are reached only by reflection, and so would be left out of a native
 * executable: the records Sluice stores as JSON through Jackson (with the types of their fields, all the way down) and
 * the JDBC drivers Agroal instantiates by class. Nothing calls it; the JVM build ignores it. Generated protobuf messages
 * and picocli commands need no entry: the gRPC and picocli extensions register them.
 */
@RegisterForReflection(registerFullHierarchy = true,
        targets = {
            Schema.class,
            PipelineState.class,
            RunSummary.class,
            Refresh.class,
            RunEvent.StateChanged.class,
            RunEvent.LogLine.class,
            RunEvent.Summary.class,
            RunEvent.SchemaChanged.class
        },
        // Package-private in their own packages, or not ours: named, and checked to exist by NativeReflectionTest.
        classNames = {
            "io.sluice.load.PackageManifest",
            "io.sluice.load.PackageManifest$JobFile",
            "org.mariadb.jdbc.Driver",
            "org.duckdb.DuckDBDriver",
            "org.postgresql.Driver",
            "org.postgresql.ssl.DefaultJavaSSLFactory",
            "org.postgresql.ssl.LibPQFactory",
            "org.postgresql.ssl.NonValidatingFactory"
        })
final class NativeReflection {
    private NativeReflection() {
    }
}
