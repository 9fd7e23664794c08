package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConcurrencySpecTest {
    private static final String PIPELINE = """
            name: limited
            source: { filesystem: { resources: [ { name: items, glob: "*.jsonl" } ] } }
            destination: { duckdb: { path: limited.duckdb }, dataset: raw }
            """;

    @Test
    void withoutAConcurrencySpecRunsTakeTurns() {
        assertEquals(ConcurrencySpec.TAKE_TURNS, spec("").concurrency());
        assertEquals(ConcurrencySpec.TAKE_TURNS, spec("concurrency: {}").concurrency(), "every field has the same default");
    }

    @Test
    void theSpecSaysHowManyRunsWhatAnOverlapDoesAndWhichLimits() {
        assertEquals(new ConcurrencySpec(3, ConcurrencySpec.OnOverlap.CANCEL_RUNNING, List.of("billing-api", "warehouse")),
                spec("concurrency: { max_active_runs: 3, on_overlap: CANCEL_RUNNING, limits: [billing-api, warehouse] }").concurrency());
        assertEquals(ConcurrencySpec.OnOverlap.SKIP, spec("concurrency: { on_overlap: SKIP }").concurrency().onOverlap());
    }

    @Test
    void everyBadFieldIsNamedWithItsPath() {
        List<Problem> problems = PipelineSpecs.problems(SpecReader.parse(PIPELINE
                + "concurrency: { max_active_runs: 1001, limits: [Billing, ok, ok] }", "test"));
        assertEquals(List.of(
                Problem.invalid("concurrency.max_active_runs", "must be 1 to 1000, not 1001"),
                Problem.invalid("concurrency.limits[0]",
                        "'Billing' must be lower-case letters, digits and dashes, start with a letter, at most 63 characters"),
                Problem.invalid("concurrency.limits[2]", "'ok' is named twice")), problems);
        assertEquals(List.of(Problem.invalid("concurrency.max_active_runs", "must be 1 to 1000, not -1")),
                PipelineSpecs.problems(SpecReader.parse(PIPELINE + "concurrency: { max_active_runs: -1 }", "test")));
    }

    private static PipelineSpec spec(String concurrency) {
        return PipelineSpecs.toSpec(SpecReader.parse(PIPELINE + concurrency, "test"), "test");
    }
}
