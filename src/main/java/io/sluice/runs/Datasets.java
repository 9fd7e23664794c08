package io.sluice.runs;

import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.load.Destination;
import io.sluice.load.Destinations;
import io.sluice.load.SchemaVersionRecord;
import io.sluice.load.TablePreview;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.schema.Schema;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** What a registered pipeline's loads made in its destination: the schema with its history, and table rows. */
@ApplicationScoped
public class Datasets {
    private final PipelineRegistry registry;
    private final Destinations destinations;

    Datasets(PipelineRegistry registry, Destinations destinations) {
        this.registry = registry;
        this.destinations = destinations;
    }

    public record DatasetSchema(String pipeline, String dataset, Schema current, List<SchemaVersionRecord> history) {
    }

    /** @throws NotFoundException when no pipeline has that name */
    public DatasetSchema schema(String pipeline) {
        PipelineSpec spec = registry.spec(pipeline);
        Destination destination = destinations.open(spec.destination());
        return new DatasetSchema(pipeline, spec.dataset(), destination.storedSchema(pipeline, spec.dataset()),
                destination.schemaHistory(pipeline, spec.dataset()));
    }

    /** @throws NotFoundException when no pipeline has that name, or it has no such table */
    public TablePreview preview(String pipeline, String table, int limit) {
        PipelineSpec spec = registry.spec(pipeline);
        Destination destination = destinations.open(spec.destination());
        Schema current = destination.storedSchema(pipeline, spec.dataset());
        if (current.table(table).isEmpty()) {
            throw new NotFoundException("pipeline '" + pipeline + "' has no table '" + table + "'"
                    + (current.tables().isEmpty() ? " (nothing loaded yet)" : ""));
        }
        return destination.preview(spec.dataset(), table, limit);
    }
}
