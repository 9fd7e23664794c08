package io.sluice.testing;

import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.proto.v1.Pipeline;
import io.sluice.pipeline.SpecReader;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Pipeline fixtures. */
public final class Specs {
    private Specs() {
    }

    /** The bundled sample data (18,000 events in three JSONL files, 5,000 customers in a CSV) into {@code database}. */
    public static Pipeline samples(String name, String database) {
        return SpecReader.parse("""
                name: %s
                source:
                  filesystem:
                    base_path: deploy/samples
                    resources:
                      - name: events
                        glob: "events/*.jsonl"
                      - name: customers
                        glob: "customers.csv"
                destination:
                  duckdb: { path: %s }
                  dataset: shop
                """.formatted(name, database), name);
    }

    /** One resource reading {@code glob} under {@code basePath}. */
    public static Pipeline files(String name, String basePath, String glob, String database) {
        return files(name, basePath, glob, database, "");
    }

    /** One resource reading {@code glob} under {@code basePath}, with more of its keys in YAML, one to a line. */
    public static Pipeline files(String name, String basePath, String glob, String database, String resourceKeys) {
        String keys = resourceKeys.lines().map(line -> "        " + line + "\n").collect(Collectors.joining());
        return SpecReader.parse("""
                name: %s
                source:
                  filesystem:
                    base_path: "%s"
                    resources:
                      - name: items
                        glob: "%s"
                %sdestination:
                  duckdb: { path: "%s" }
                  dataset: raw
                """.formatted(name, basePath, glob, keys, database), name);
    }

    /**
     * Pipeline {@code name} over one resource, {@code items}, reading {@code items.jsonl} in {@code directory}, with more
     * of its keys in {@code resourceKeys} (YAML flow style), loading into {@code destination} (YAML flow style).
     */
    public static PipelineSpec items(String name, Path directory, String resourceKeys, String destination) {
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                source:
                  filesystem:
                    base_path: "%s"
                    resources: [ { name: items, glob: "items.jsonl", %s } ]
                destination: %s
                """.formatted(name, directory, resourceKeys, destination), name), name);
    }
}
