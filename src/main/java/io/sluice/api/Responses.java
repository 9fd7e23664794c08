package io.sluice.api;

import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** Sends one answer or one error status, never both. */
final class Responses {
    private Responses() {
    }

    static <T> void respond(StreamObserver<T> observer, Supplier<T> call) {
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
