package io.sluice.api;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.sluice.catalog.AlreadyExistsException;
import io.sluice.catalog.EtagMismatchException;
import io.sluice.catalog.InvalidPageTokenException;
import io.sluice.catalog.NotFoundException;
import io.sluice.load.LoadException;
import io.sluice.load.PackageInUseException;
import io.sluice.load.PackageNotFoundException;
import io.sluice.load.UnsupportedPackageException;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.Problem;
import io.sluice.runs.InvalidRefreshException;
import io.sluice.runs.RunEndedException;
import io.sluice.runs.RunNotRetryableException;
import java.util.List;
import org.jboss.logging.Logger;

/** The one place errors become gRPC statuses. */
final class StatusMapper {
    private static final Logger LOG = Logger.getLogger(StatusMapper.class);

    private StatusMapper() {
    }

    static StatusRuntimeException toStatus(Throwable failure) {
        return switch (failure) {
            case StatusRuntimeException status -> status;
            case InvalidSpecException invalid -> withProblems(Code.INVALID_ARGUMENT, invalid.getMessage(), invalid.problems());
            case NotFoundException notFound -> status(Code.NOT_FOUND, notFound.getMessage());
            case AlreadyExistsException exists -> status(Code.ALREADY_EXISTS, exists.getMessage());
            case EtagMismatchException mismatch -> status(Code.ABORTED, mismatch.getMessage());
            case RunEndedException ended -> status(Code.FAILED_PRECONDITION, ended.getMessage());
            case RunNotRetryableException notRetryable -> status(Code.FAILED_PRECONDITION, notRetryable.getMessage());
            case InvalidRefreshException refresh -> withProblems(Code.INVALID_ARGUMENT, refresh.getMessage(), refresh.problems());
            case InvalidPageTokenException token -> status(Code.INVALID_ARGUMENT, token.getMessage());
            case LoadException load -> status(Code.FAILED_PRECONDITION, load.getMessage());
            case PackageNotFoundException notFound -> status(Code.NOT_FOUND, notFound.getMessage());
            case PackageInUseException inUse -> status(Code.FAILED_PRECONDITION, inUse.getMessage());
            case UnsupportedPackageException unsupported -> status(Code.FAILED_PRECONDITION, unsupported.getMessage());
            default -> {
                LOG.error("request failed", failure);
                yield status(Code.INTERNAL, "internal error: " + failure.getMessage());
            }
        };
    }

    static StatusRuntimeException invalidArgument(String field, String description) {
        return withProblems(Code.INVALID_ARGUMENT, field + ": " + description,
                List.of(new Problem(field, description, Problem.Kind.INVALID)));
    }

    private static StatusRuntimeException withProblems(Code code, String message, List<Problem> problems) {
        BadRequest.Builder details = BadRequest.newBuilder();
        problems.forEach(problem -> details.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                .setField(problem.field())
                .setDescription(problem.description())));
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(message)
                .addDetails(Any.pack(details.build()))
                .build());
    }

    private static StatusRuntimeException status(Code code, String message) {
        return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(message)
                .build());
    }
}
