package io.sluice.cli;

import com.google.rpc.BadRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.Problem;

/** Prints what is wrong, one problem a line, to standard error. */
final class ProblemReport {
    private ProblemReport() {
    }

    static void print(InvalidSpecException invalid) {
        System.err.println("invalid pipeline spec:");
        for (Problem problem : invalid.problems()) {
            System.err.println("  " + problem);
        }
    }

    /** An error status from the service, with its field violations. */
    static void print(StatusRuntimeException failure) {
        com.google.rpc.Status status = StatusProto.fromThrowable(failure);
        Throwable cause = failure.getStatus().getCause();
        System.err.println(failure.getStatus().getCode() + ": " + failure.getStatus().getDescription()
                + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"));
        if (status == null) {
            return;
        }
        status.getDetailsList().stream()
                .filter(detail -> detail.is(BadRequest.class))
                .forEach(detail -> {
                    try {
                        detail.unpack(BadRequest.class).getFieldViolationsList().forEach(violation ->
                                System.err.println("  " + violation.getField() + ": " + violation.getDescription()));
                    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                        System.err.println("  (unreadable details: " + e.getMessage() + ")");
                    }
                });
    }
}
