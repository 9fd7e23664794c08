package io.sluice.api;

import static io.sluice.api.ProtoValues.timestamp;

import io.sluice.catalog.Refresh;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunFilter;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.proto.v1.ListRunsRequest;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** The run service's messages: runs and their states, triggers and refreshes, and the requests that name them. */
final class RunMessages {
    private RunMessages() {
    }

    static io.sluice.proto.v1.Run run(Run run) {
        io.sluice.proto.v1.Run.Builder builder = io.sluice.proto.v1.Run.newBuilder()
                .setId(run.id())
                .setPipeline(run.pipeline())
                .setState(state(run.state()))
                .setTrigger(trigger(run.trigger()))
                .setRequestId(run.requestId())
                .setCreateTime(timestamp(run.createTime()))
                .setError(run.error())
                .setAttempt(run.attempt())
                .setPendingReason(run.pendingReason())
                .setResumedBy(run.resumedBy());
        run.startTime().ifPresent(time -> builder.setStartTime(timestamp(time)));
        run.endTime().ifPresent(time -> builder.setEndTime(timestamp(time)));
        run.summary().ifPresent(summary -> builder.setSummary(RunEventMessages.summary(summary)));
        run.refresh().ifPresent(refresh -> builder.setRefresh(refreshMode(refresh.mode()))
                .addAllRefreshResources(refresh.resources()));
        return builder.build();
    }

    /** The runs a ListRuns request asks for; empty parts match every run. */
    static RunFilter filter(ListRunsRequest request) {
        return new RunFilter(
                request.getPipeline().isEmpty() ? Optional.empty() : Optional.of(request.getPipeline()),
                request.getStatesList().stream().map(RunMessages::state).collect(Collectors.toSet()),
                request.hasCreatedAfter() ? Optional.of(ProtoValues.instant(request.getCreatedAfter())) : Optional.empty(),
                request.hasCreatedBefore() ? Optional.of(ProtoValues.instant(request.getCreatedBefore())) : Optional.empty());
    }

    /** The refresh of a trigger request; resources without a refresh mode are refused. */
    static Optional<Refresh> refresh(io.sluice.proto.v1.Refresh mode, List<String> resources) {
        return switch (mode) {
            case REFRESH_UNSPECIFIED -> {
                if (!resources.isEmpty()) {
                    throw StatusMapper.invalidArgument("resources", "name resources only with a refresh, e.g. DROP_DATA");
                }
                yield Optional.empty();
            }
            case DROP_SOURCES -> Optional.of(new Refresh(Refresh.Mode.DROP_SOURCES, resources));
            case DROP_RESOURCES -> Optional.of(new Refresh(Refresh.Mode.DROP_RESOURCES, resources));
            case DROP_DATA -> Optional.of(new Refresh(Refresh.Mode.DROP_DATA, resources));
            case UNRECOGNIZED -> throw StatusMapper.invalidArgument("refresh", "unknown refresh mode");
        };
    }

    static io.sluice.proto.v1.RunState state(RunState state) {
        return switch (state) {
            case SCHEDULED -> io.sluice.proto.v1.RunState.SCHEDULED;
            case PENDING -> io.sluice.proto.v1.RunState.PENDING;
            case RUNNING -> io.sluice.proto.v1.RunState.RUNNING;
            case RETRYING -> io.sluice.proto.v1.RunState.RETRYING;
            case COMPLETED -> io.sluice.proto.v1.RunState.COMPLETED;
            case FAILED -> io.sluice.proto.v1.RunState.FAILED;
            case CANCELLING -> io.sluice.proto.v1.RunState.CANCELLING;
            case CANCELLED -> io.sluice.proto.v1.RunState.CANCELLED;
            case CRASHED -> io.sluice.proto.v1.RunState.CRASHED;
            case SKIPPED -> io.sluice.proto.v1.RunState.SKIPPED;
        };
    }

    static RunState state(io.sluice.proto.v1.RunState state) {
        return switch (state) {
            case SCHEDULED -> RunState.SCHEDULED;
            case PENDING -> RunState.PENDING;
            case RUNNING -> RunState.RUNNING;
            case RETRYING -> RunState.RETRYING;
            case COMPLETED -> RunState.COMPLETED;
            case FAILED -> RunState.FAILED;
            case CANCELLING -> RunState.CANCELLING;
            case CANCELLED -> RunState.CANCELLED;
            case CRASHED -> RunState.CRASHED;
            case SKIPPED -> RunState.SKIPPED;
            case RUN_STATE_UNSPECIFIED, UNRECOGNIZED ->
                    throw StatusMapper.invalidArgument("states", "name run states, e.g. FAILED; " + state + " is none");
        };
    }

    private static io.sluice.proto.v1.Run.Trigger trigger(Trigger trigger) {
        return switch (trigger) {
            case API -> io.sluice.proto.v1.Run.Trigger.API;
            case SCHEDULE -> io.sluice.proto.v1.Run.Trigger.SCHEDULE;
            case CLI -> io.sluice.proto.v1.Run.Trigger.CLI;
            case RETRY -> io.sluice.proto.v1.Run.Trigger.RETRY;
        };
    }

    private static io.sluice.proto.v1.Refresh refreshMode(Refresh.Mode mode) {
        return switch (mode) {
            case DROP_SOURCES -> io.sluice.proto.v1.Refresh.DROP_SOURCES;
            case DROP_RESOURCES -> io.sluice.proto.v1.Refresh.DROP_RESOURCES;
            case DROP_DATA -> io.sluice.proto.v1.Refresh.DROP_DATA;
        };
    }
}
