package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.proto.v1.Destination;
import io.sluice.proto.v1.DuckDbDestination;
import io.sluice.proto.v1.FilesystemSource;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.Resource;
import io.sluice.proto.v1.Source;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Label syntax as Kubernetes has it, checked where the spec is mapped, and the selectors that pick pipelines by label. */
class LabelsTest {
    @Test
    void labelsFollowTheKubernetesSyntax() {
        assertEquals("", Labels.problem("team", "billing"));
        assertEquals("", Labels.problem("sluice.io/tier", "gold_1.0"));
        assertEquals("", Labels.problem("owner", ""), "a value may be empty");
        assertTrue(Labels.problem("Team Name", "x").startsWith("key 'Team Name': the name must be"));
        assertTrue(Labels.problem("Sluice.IO/tier", "x").contains("the prefix before '/' must be a DNS subdomain"));
        assertTrue(Labels.problem("/tier", "x").contains("prefix"));
        assertTrue(Labels.problem("team", "-billing").startsWith("value '-billing' must be"));
        assertFalse(Labels.problem("x".repeat(64), "v").isEmpty(), "names are at most 63 characters");
    }

    @Test
    void theMapperNamesEachBadLabelByItsPath() {
        Pipeline pipeline = Pipeline.newBuilder()
                .setName("labelled")
                .putLabels("team", "billing")
                .putLabels("bad key", "x")
                .setSource(Source.newBuilder().setFilesystem(FilesystemSource.newBuilder()
                        .addResources(Resource.newBuilder().setName("items").setGlob("*.csv"))))
                .setDestination(Destination.newBuilder().setDuckdb(DuckDbDestination.newBuilder().setPath("labelled.duckdb")))
                .build();
        List<Problem> problems = PipelineSpecs.problems(pipeline);
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("labels[bad key]", problems.getFirst().field());
        assertEquals(Map.of("team", "billing"), PipelineSpecs.toSpec(pipeline.toBuilder().removeLabels("bad key").build(), "").labels());
    }

    @Test
    void aSelectorRequiresEveryPair() {
        LabelSelector selector = LabelSelector.parse("team=billing, tier=gold");
        assertTrue(selector.matches(Map.of("team", "billing", "tier", "gold", "other", "x")));
        assertFalse(selector.matches(Map.of("team", "billing")));
        assertTrue(LabelSelector.parse("").matches(Map.of()), "empty selects all");
        assertEquals("team=billing,tier=gold", selector.toString());
        assertEquals("'team' is not key=value", assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse("team"))
                .getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse("team=a,team=b"));
        assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse("bad key=x"));
    }
}
