package io.sluice.api;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * Runs each call's work on a virtual thread of its own and sends one answer or one error status, never both.
 * The gRPC method itself returns at once on the transport's event loop: Quarkus' own {@code @RunOnVirtualThread}
 * dispatch on the shared HTTP port can lose a unary request under load ("Half-closed without a request",
 * fixed upstream after 3.33), and starting the thread here keeps the call's listener in grpc-java's order.
 */
final class Responses {
    private Responses() {
    }

    static <T> void respond(StreamObserver<T> observer, Supplier<T> call) {
        startInCallContext("grpc-call", () -> answer(observer, call));
    }

    /**
     * Starts the call's work on a virtual thread that keeps the call's gRPC {@link Context}: grpc-java keeps it in a
     * thread local of the transport's thread, and without it the work would not see the client's deadline or that
     * the client has gone ({@code Context.current().isCancelled()}). The call's trace context goes along the same way,
     * so a run the call triggers is traced as a child of the call's span.
     */
    static void startInCallContext(String name, Runnable work) {
        Thread.ofVirtual().name(name).start(io.opentelemetry.context.Context.current().wrap(Context.current().wrap(work)));
    }

    private static <T> void answer(StreamObserver<T> observer, Supplier<T> call) {
        if (Context.current().isCancelled()) {
            // The client gave up (or its deadline passed) before the work began: there is no one to answer.
            return;
        }
        T answer;
        try {
            answer = call.get();
        } catch (RuntimeException failure) {
            observer.onError(StatusMapper.toStatus(failure));
            return;
        }
        observer.onNext(answer);
        observer.onCompleted();
    }

    /** A page size as AIP-158 reads it: 0 means the default, larger than the maximum means the maximum. */
    static int pageSize(int requested) {
        if (requested < 0) {
            throw StatusMapper.invalidArgument("page_size", "must not be negative");
        }
        return requested == 0 ? 50 : Math.min(requested, 1000);
    }

    static String required(String value, String field) {
        if (value.isEmpty()) {
            throw StatusMapper.invalidArgument(field, "required");
        }
        return value;
    }
}
