package io.sluice.runs;

import io.sluice.catalog.CatalogTime;
import io.sluice.load.CommitPlan;
import io.sluice.load.LoadPackage;
import io.sluice.load.MergedTables;
import io.sluice.load.PackageContents;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineState;
import io.sluice.pipeline.ResourceSpec;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.Schema;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import io.sluice.schema.WriteDisposition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a run's package does at commit, from the spec, the refresh asked for and what was extracted: the tables it
 * replaces, merges into and drops, and the schema and pipeline state it brings when the run changed them.
 */
final class PackagePlan {
    private PackagePlan() {
    }

    /**
     * @param stored the schema stored when the run started
     * @param storedState the pipeline state stored when the run started
     */
    static PackageContents contents(PipelineSpec spec, RefreshPlan refresh, Schema stored, PipelineState storedState,
                                    List<Extraction.Extracted> extracted) {
        Schema evolved = evolved(spec, stored, refresh.schema(), extracted);
        PipelineState state = state(refresh.state(), extracted);
        List<TableFile> files = extracted.stream().flatMap(resource -> resource.normalized().files().stream()).toList();
        // The resources as the source resolved them (an SQL database's discovered tables), not only those the spec names.
        List<ResourceSpec> resources = extracted.stream().map(Extraction.Extracted::resource).toList();
        return new PackageContents(spec.dataset(), files, new CommitPlan(
                evolved.tables().equals(stored.tables()) ? Optional.empty() : Optional.of(evolved),
                replaced(resources, evolved, refresh),
                MergedTables.of(resources, evolved, CatalogTime.now()),
                refresh.droppedTables(),
                state.equals(storedState) ? Optional.empty() : Optional.of(state)));
    }

    /** The state the run started from, with each resource's cursor and source state as its extract left them. */
    private static PipelineState state(PipelineState start, List<Extraction.Extracted> extracted) {
        PipelineState state = start;
        for (Extraction.Extracted resource : extracted) {
            if (resource.incremental().isPresent()) {
                state = state.with(resource.resource().name(), resource.incremental().get().cursor());
            }
            if (resource.sourceState().isPresent()) {
                state = state.withSourceState(resource.resource().name(), resource.sourceState());
            }
        }
        return state;
    }

    /**
     * Every table of the resources that replace their rows, nested ones too, whether or not this load has rows for it,
     * and those a refresh empties (truncated, unless their resource replaces them its own way anyway).
     */
    private static List<LoadPackage.ReplacedTable> replaced(List<ResourceSpec> resources, Schema schema, RefreshPlan refresh) {
        Map<String, ReplaceStrategy> replacing = resources.stream()
                .filter(resource -> resource.hints().writeDisposition() == WriteDisposition.REPLACE)
                .collect(Collectors.toMap(ResourceSpec::name, resource -> resource.hints().replaceStrategy()));
        Map<String, LoadPackage.ReplacedTable> tables = new LinkedHashMap<>();
        schema.tables().stream()
                .filter(table -> replacing.containsKey(table.resource()))
                .forEach(table -> tables.put(table.name(), new LoadPackage.ReplacedTable(table.name(), replacing.get(table.resource()),
                        table.columns())));
        for (String emptied : refresh.emptiedTables()) {
            schema.table(emptied).ifPresent(table -> tables.putIfAbsent(emptied, new LoadPackage.ReplacedTable(emptied,
                    ReplaceStrategy.TRUNCATE_AND_INSERT, table.columns())));
        }
        return List.copyOf(tables.values());
    }

    /**
     * The run's starting schema ({@code base}: the stored one less what a refresh dropped) with this run's tables in
     * place of their earlier versions, still numbered as the stored version it was evolved from: the version it is
     * stored as is decided at commit, where another load may have stored one since.
     */
    private static Schema evolved(PipelineSpec spec, Schema stored, Schema base, List<Extraction.Extracted> extracted) {
        Map<String, TableSchema> tables = new LinkedHashMap<>();
        base.tables().forEach(table -> tables.put(table.name(), table));
        extracted.forEach(resource -> resource.normalized().tables().forEach(table -> tables.put(table.name(), table)));
        return new Schema(spec.name(), stored.version(), List.copyOf(tables.values()));
    }
}
