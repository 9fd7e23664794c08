package io.sluice.api;

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
        Thread.ofVirtual().name("grpc-call").start(() -> answer(observer, call));
    }

    private static <T> void answer(StreamObserver<T> observer, Supplier<T> call) {
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
