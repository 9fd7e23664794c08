package io.sluice.runs;

import io.sluice.catalog.Refresh;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineState;
import io.sluice.pipeline.Problem;
import io.sluice.pipeline.ResourceSpec;
import io.sluice.schema.Schema;
import io.sluice.schema.TableSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a refresh does to one run: the tables its load drops or empties (in the load's own transaction, so readers
 * never see the dataset empty), and the schema and state the run starts from instead of the stored ones.
 *
 * @param schema the stored schema without the dropped tables
 * @param state the stored state without the refreshed resources' cursors
 */
record RefreshPlan(Schema schema, PipelineState state, List<String> droppedTables, List<String> emptiedTables) {
    RefreshPlan {
        droppedTables = List.copyOf(droppedTables);
        emptiedTables = List.copyOf(emptiedTables);
    }

    /** Every way the refresh does not fit the pipeline, each with its field in the trigger request. */
    static List<Problem> problems(Refresh refresh, PipelineSpec spec) {
        List<Problem> problems = new ArrayList<>();
        List<String> names = spec.source().resources().stream().map(ResourceSpec::name).toList();
        if (refresh.mode() == Refresh.Mode.DROP_SOURCES && !refresh.resources().isEmpty()) {
            problems.add(new Problem("resources", "DROP_SOURCES drops every resource of the pipeline; name none",
                    Problem.Kind.INVALID));
            return problems;
        }
        for (int i = 0; i < refresh.resources().size(); i++) {
            if (!names.contains(refresh.resources().get(i))) {
                problems.add(new Problem("resources[" + i + "]", "pipeline '" + spec.name() + "' has no resource '"
                        + refresh.resources().get(i) + "'; it has " + String.join(", ", names), Problem.Kind.INVALID));
            }
        }
        return problems;
    }

    static RefreshPlan of(Optional<Refresh> refresh, PipelineSpec spec, Schema stored, PipelineState state) {
        if (refresh.isEmpty()) {
            return new RefreshPlan(stored, state, List.of(), List.of());
        }
        Set<String> resources = new LinkedHashSet<>(refresh.get().resources());
        if (resources.isEmpty()) {
            spec.source().resources().forEach(resource -> resources.add(resource.name()));
        }
        if (refresh.get().mode() == Refresh.Mode.DROP_SOURCES) {
            // Also the tables of resources the spec no longer lists: the pipeline starts over.
            stored.tables().forEach(table -> resources.add(table.resource()));
        }
        List<String> tables = stored.tables().stream()
                .filter(table -> resources.contains(table.resource()))
                .map(TableSchema::name)
                .toList();
        // DROP_SOURCES forgets all state, also that of resources with neither tables nor a place in the spec any more.
        PipelineState reset = refresh.get().mode() == Refresh.Mode.DROP_SOURCES ? PipelineState.EMPTY : state;
        for (String resource : resources) {
            reset = reset.forget(resource);
        }
        return switch (refresh.get().mode()) {
            case DROP_SOURCES, DROP_RESOURCES -> new RefreshPlan(
                    new Schema(stored.pipeline(), stored.version(),
                            stored.tables().stream().filter(table -> !tables.contains(table.name())).toList()),
                    reset, tables, List.of());
            case DROP_DATA -> new RefreshPlan(stored, reset, List.of(), tables);
        };
    }

    /** What the refresh does, for the run's log. */
    String describe(Refresh refresh) {
        return "refresh " + refresh.mode() + (refresh.resources().isEmpty() ? "" : " of " + String.join(", ", refresh.resources()))
                + (droppedTables.isEmpty() ? "" : ": dropping " + String.join(", ", droppedTables))
                + (emptiedTables.isEmpty() ? "" : ": emptying " + String.join(", ", emptiedTables))
                + " in the load's transaction, and resetting state";
    }
}
