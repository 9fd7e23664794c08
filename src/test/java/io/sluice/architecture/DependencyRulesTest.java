package io.sluice.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * DESIGN.md's dependency rules, checked on the compiled classes: packages by capability, dependencies pointing one
 * way, the generated API classes only at the edges. A forbidden import fails this test, naming the class and the
 * dependency.
 */
@AnalyzeClasses(packages = "io.sluice", importOptions = ImportOption.DoNotIncludeTests.class)
class DependencyRulesTest {
    /**
     * Who may use whom. The engine's stages (source, normalize, load) meet only in runs; the catalog and the stages
     * speak domain records, so the generated proto classes stay in the API, the CLI and the spec mapper; nothing
     * depends on the gRPC adapters or the commands; observability (metrics, traces, health) watches runs and the catalog from
     * outside, and only the serve command tells it anything; load is handed resolved secrets and never resolves them itself;
     * security resolves the secrets the spec names by the one rule of what a secret name is (pipeline's SecretReference);
     * http (HTTP clients that end with the process) serves any capability.
     */
    @ArchTest
    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("proto").definedBy("io.sluice.proto..")
            .layer("api").definedBy("io.sluice.api..")
            .layer("cli").definedBy("io.sluice.cli..")
            .layer("observability").definedBy("io.sluice.observability..")
            .layer("runs").definedBy("io.sluice.runs..")
            .layer("catalog").definedBy("io.sluice.catalog..")
            .layer("security").definedBy("io.sluice.security..")
            .layer("source").definedBy("io.sluice.source..")
            .layer("normalize").definedBy("io.sluice.normalize..")
            .layer("load").definedBy("io.sluice.load..")
            .layer("pipeline").definedBy("io.sluice.pipeline..")
            .layer("schema").definedBy("io.sluice.schema..")
            .layer("http").definedBy("io.sluice.http..")
            .whereLayer("api").mayNotBeAccessedByAnyLayer()
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("observability").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("runs").mayOnlyBeAccessedByLayers("api", "cli", "observability")
            .whereLayer("catalog").mayOnlyBeAccessedByLayers("runs", "api", "cli", "observability")
            .whereLayer("security").mayOnlyBeAccessedByLayers("runs", "api", "cli")
            .whereLayer("source").mayOnlyBeAccessedByLayers("runs")
            .whereLayer("normalize").mayOnlyBeAccessedByLayers("runs")
            .whereLayer("load").mayOnlyBeAccessedByLayers("runs", "api")
            .whereLayer("pipeline").mayOnlyBeAccessedByLayers("source", "normalize", "load", "catalog", "security", "runs", "api", "cli")
            .whereLayer("proto").mayOnlyBeAccessedByLayers("api", "cli", "pipeline");

    /**
     * A run starts from the validated spec the registry keeps ({@code PipelineRegistry.spec}): nothing in the run
     * package can parse or validate a spec, so a trigger never reads the stored JSON again.
     */
    @ArchTest
    static final ArchRule RUNS_READ_NO_SPECS = noClasses().that().resideInAPackage("io.sluice.runs..")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.sluice.pipeline.PipelineSpecs")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("io.sluice.pipeline.SpecReader");

    /** No two capabilities depend on each other, however indirectly. */
    @ArchTest
    static final ArchRule NO_CYCLES = slices().matching("io.sluice.(*)..").should().beFreeOfCycles();
}
