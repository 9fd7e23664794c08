package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Timestamps;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.proto.v1.GetPipelineRequest;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.UpdatePipelineRequest;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.Specs;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two UpdatePipeline calls that may create the pipeline (allow_missing), made at the same moment on a pipeline that
 * does not exist yet, end as if made one after the other: one creates it, the other updates what the first stored.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class ConcurrentUpdatesTest {
    private static final int ROUNDS = 10;

    @GrpcClient("sluice")
    PipelineServiceGrpc.PipelineServiceBlockingStub pipelines;

    @Test
    void twoUpsertsOfAMissingPipelineEndAsIfOneAfterTheOther() throws Exception {
        try (ExecutorService callers = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                String name = "upsert-" + round;
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<Pipeline>> calls = List.of("first", "second").stream()
                        .map(description -> callers.submit(() -> {
                            together.await(10, TimeUnit.SECONDS);
                            return pipelines.withDeadlineAfter(30, TimeUnit.SECONDS).updatePipeline(UpdatePipelineRequest.newBuilder()
                                    .setPipeline(Specs.samples(name, "upsert.duckdb").toBuilder().setDescription(description))
                                    .setAllowMissing(true)
                                    .build());
                        }))
                        .toList();
                Pipeline one = calls.get(0).get(60, TimeUnit.SECONDS);
                Pipeline other = calls.get(1).get(60, TimeUnit.SECONDS);

                assertEquals(one.getCreateTime(), other.getCreateTime(), "one call created the pipeline, the other updated it");
                assertNotEquals(one.getEtag(), other.getEtag(), "each call stored a version of its own");
                Pipeline stored = pipelines.getPipeline(GetPipelineRequest.newBuilder().setName(name).build());
                Pipeline last = stored.getEtag().equals(one.getEtag()) ? one : other;
                assertTrue(stored.getEtag().equals(last.getEtag()), "the stored pipeline is one the calls returned");
                assertEquals(last.getDescription(), stored.getDescription());
                assertTrue(Timestamps.compare(last.getUpdateTime(), last.getCreateTime()) > 0,
                        "the call that ended last updated the pipeline the other created");
            }
        }
    }
}
