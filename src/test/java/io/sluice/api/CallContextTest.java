package io.sluice.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.sluice.proto.v1.GetRunRequest;
import io.sluice.proto.v1.Run;
import io.sluice.proto.v1.RunServiceGrpc;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The work of a call runs on a virtual thread of its own ({@link Responses}) and still sees the call's gRPC
 * {@link Context}: the client's deadline, and the moment the client gives up. A real gRPC server and stub on
 * localhost, with a GetRun whose work the test chooses.
 */
class CallContextTest {
    private volatile Supplier<Run> work = Run::getDefaultInstance;
    private Server server;
    private ManagedChannel channel;
    private RunServiceGrpc.RunServiceBlockingStub runs;

    @BeforeEach
    void start() throws Exception {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new RunServiceGrpc.RunServiceImplBase() {
                    @Override
                    public void getRun(GetRunRequest request, StreamObserver<Run> response) {
                        Responses.respond(response, work);
                    }
                })
                .build()
                .start();
        channel = Grpc.newChannelBuilderForAddress("localhost", server.getPort(), InsecureChannelCredentials.create()).build();
        runs = RunServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void theWorkSeesTheClientsDeadline() {
        CompletableFuture<Deadline> seen = new CompletableFuture<>();
        work = () -> {
            seen.complete(Context.current().getDeadline());
            return Run.getDefaultInstance();
        };
        runs.withDeadlineAfter(20, TimeUnit.SECONDS).getRun(GetRunRequest.newBuilder().setRunId("any").build());
        Deadline deadline = seen.join();
        assertTrue(deadline != null, "the work sees the call's deadline");
        long left = deadline.timeRemaining(TimeUnit.SECONDS);
        assertTrue(left > 0 && left <= 20, "the deadline is the client's 20 s, " + left + " s left");
    }

    @Test
    void aDeadlineThatPassesCancelsTheWork() throws Exception {
        CompletableFuture<Boolean> cancelled = workUntilCancelled(new CountDownLatch(1));
        StatusRuntimeException late = assertThrows(StatusRuntimeException.class, () -> runs.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .getRun(GetRunRequest.newBuilder().setRunId("slow").build()));
        assertEquals(Status.Code.DEADLINE_EXCEEDED, late.getStatus().getCode());
        assertTrue(cancelled.get(20, TimeUnit.SECONDS), "the work saw its call cancelled when the deadline passed");
    }

    @Test
    void aClientThatGivesUpCancelsTheWork() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> cancelled = workUntilCancelled(started);
        CompletableFuture<Status> ended = new CompletableFuture<>();
        Context.CancellableContext client = Context.current().withCancellation();
        client.run(() -> RunServiceGrpc.newStub(channel).getRun(GetRunRequest.newBuilder().setRunId("abandoned").build(),
                new StreamObserver<>() {
                    @Override
                    public void onNext(Run run) {
                        ended.complete(Status.OK);
                    }

                    @Override
                    public void onError(Throwable failure) {
                        ended.complete(Status.fromThrowable(failure));
                    }

                    @Override
                    public void onCompleted() {
                    }
                }));
        assertTrue(started.await(20, TimeUnit.SECONDS), "the work began");
        client.cancel(null);
        assertEquals(Status.Code.CANCELLED, ended.get(20, TimeUnit.SECONDS).getCode());
        assertTrue(cancelled.get(20, TimeUnit.SECONDS), "the work saw its call cancelled when the client gave up");
    }

    /** Work that waits (at most 30 s) for its call to be cancelled, and says whether it was. */
    private CompletableFuture<Boolean> workUntilCancelled(CountDownLatch started) {
        CompletableFuture<Boolean> cancelled = new CompletableFuture<>();
        work = () -> {
            CountDownLatch ended = new CountDownLatch(1);
            Context.current().addListener(context -> ended.countDown(), Runnable::run);
            started.countDown();
            try {
                cancelled.complete(ended.await(30, TimeUnit.SECONDS) && Context.current().isCancelled());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancelled.complete(false);
            }
            return Run.getDefaultInstance();
        };
        return cancelled;
    }
}
