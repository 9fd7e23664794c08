package io.sluice.pipeline;

import com.google.protobuf.Timestamp;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.Schedule;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a pipeline's schedules ({@code schedules}, or the older single {@code schedule}) into checked {@link ScheduleSpec}s. */
final class ScheduleMapper {
    private final PipelineSpecMapper spec;
    private final SpecProblems problems;

    ScheduleMapper(PipelineSpecMapper spec, SpecProblems problems) {
        this.spec = spec;
        this.problems = problems;
    }

    Optional<List<ScheduleSpec>> map(Pipeline pipeline) {
        int mark = problems.mark();
        List<Schedule> schedules = pipeline.getSchedulesList();
        String path = "schedules";
        if (pipeline.hasSchedule()) {
            if (!schedules.isEmpty()) {
                problems.invalid("schedule", "set schedules or schedule, not both: schedule is the older spelling of one schedule");
            }
            schedules = List.of(pipeline.getSchedule());
            path = "schedule";
        }
        Set<String> names = new HashSet<>();
        List<Optional<ScheduleSpec>> mapped = new ArrayList<>();
        for (int i = 0; i < schedules.size(); i++) {
            String field = pipeline.hasSchedule() ? path : path + "[" + i + "]";
            Optional<ScheduleSpec> schedule = schedule(field, schedules.get(i));
            schedule.ifPresent(checked -> {
                if (!names.add(checked.name())) {
                    problems.invalid(field + ".name", "'" + checked.name() + "' names another schedule of this pipeline too;"
                            + " give each a name of its own");
                }
            });
            mapped.add(schedule);
        }
        return problems.buildIfClean(mark, () -> mapped.stream().map(Optional::orElseThrow).toList());
    }

    private Optional<ScheduleSpec> schedule(String path, Schedule schedule) {
        int mark = problems.mark();
        Optional<ScheduleTiming> timing = timing(path, schedule);
        ScheduleSpec.Misfire misfire = switch (schedule.getMisfire()) {
            case SKIP_MISSED -> ScheduleSpec.Misfire.SKIP;
            case RUN_ONCE, MISFIRE_POLICY_UNSPECIFIED, UNRECOGNIZED -> ScheduleSpec.Misfire.RUN_ONCE_LATE;
            case RUN_ALL -> {
                problems.invalid(path + ".misfire", "RUN_ALL is no longer read: write late_runs: ALL (with max_late_runs)");
                yield ScheduleSpec.Misfire.RUN_ONCE_LATE;
            }
        };
        ScheduleSpec.LateRuns lateRuns = switch (schedule.getLateRuns()) {
            case COALESCE, LATE_RUN_POLICY_UNSPECIFIED, UNRECOGNIZED -> ScheduleSpec.LateRuns.COALESCE;
            case SKIP -> ScheduleSpec.LateRuns.SKIP;
            case ALL -> ScheduleSpec.LateRuns.ALL;
        };
        int maxLateRuns = schedule.getMaxLateRuns() == 0 ? ScheduleSpec.DEFAULT_MAX_LATE_RUNS : schedule.getMaxLateRuns();
        if (maxLateRuns < 1 || maxLateRuns > ScheduleSpec.MOST_LATE_RUNS) {
            problems.invalid(path + ".max_late_runs", "got " + maxLateRuns + ": from 1 to " + ScheduleSpec.MOST_LATE_RUNS);
        } else if (schedule.getMaxLateRuns() != 0 && lateRuns != ScheduleSpec.LateRuns.ALL) {
            problems.invalid(path + ".max_late_runs", "only late_runs: ALL reads it");
        }
        Optional<Duration> grace = schedule.getMisfireGrace().isEmpty() ? Optional.of(ScheduleSpec.DEFAULT_MISFIRE_GRACE)
                : spec.duration(path + ".misfire_grace", schedule.getMisfireGrace());
        Optional<Duration> jitter = schedule.getJitter().isEmpty() ? Optional.of(Duration.ZERO)
                : spec.duration(path + ".jitter", schedule.getJitter());
        if (grace.isPresent() && jitter.isPresent() && !jitter.get().isZero() && jitter.get().compareTo(grace.get()) >= 0) {
            problems.invalid(path + ".jitter", "'" + schedule.getJitter() + "' must be shorter than misfire_grace ("
                    + (schedule.getMisfireGrace().isEmpty() ? "1m, the default" : "'" + schedule.getMisfireGrace() + "'")
                    + "), or every jittered run would count as late");
        }
        String name = !schedule.getName().isEmpty() ? schedule.getName()
                : !schedule.getCron().isEmpty() ? schedule.getCron() : schedule.getInterval();
        return problems.buildIfClean(mark, () -> new ScheduleSpec(name, timing.orElseThrow(),
                !schedule.hasActive() || schedule.getActive(), misfire, lateRuns, maxLateRuns, grace.orElseThrow(), jitter.orElseThrow()));
    }

    private Optional<ScheduleTiming> timing(String path, Schedule schedule) {
        boolean cron = !schedule.getCron().isEmpty();
        boolean interval = !schedule.getInterval().isEmpty();
        if (cron == interval) {
            problems.invalid(path, cron ? "set cron or interval, not both" : "required: cron (e.g. \"*/30 * * * *\") or interval (e.g. 10m)");
            return Optional.empty();
        }
        if (cron) {
            if (schedule.hasAnchor()) {
                problems.invalid(path + ".anchor", "only an interval has an anchor; a cron fires at the times it names");
            }
            Optional<ZoneId> zone = zone(path + ".timezone", schedule.getTimezone());
            try {
                // The expression is read in UTC when the zone is not one, so that one look lists both problems.
                ScheduleTiming.Cron timing = new ScheduleTiming.Cron(schedule.getCron(), zone.orElse(ZoneOffset.UTC));
                return zone.map(readIn -> timing);
            } catch (IllegalArgumentException e) {
                problems.invalid(path + ".cron", "'" + schedule.getCron() + "' is not a five-field cron expression"
                        + " (minute hour day-of-month month day-of-week, e.g. \"*/30 * * * *\"): " + e.getMessage());
                return Optional.empty();
            }
        }
        if (!schedule.getTimezone().isEmpty()) {
            problems.invalid(path + ".timezone", "only a cron is read in a time zone; an interval counts from its anchor");
        }
        Optional<Duration> every = spec.duration(path + ".interval", schedule.getInterval());
        Instant anchor = schedule.hasAnchor() ? anchor(schedule.getAnchor()) : Instant.EPOCH;
        return every.map(length -> new ScheduleTiming.Interval(length, anchor));
    }

    private Optional<ZoneId> zone(String field, String name) {
        if (name.isEmpty()) {
            return Optional.of(ZoneOffset.UTC);
        }
        try {
            return Optional.of(ZoneId.of(name));
        } catch (DateTimeException e) {
            problems.invalid(field, "'" + name + "' is not a time zone: write an IANA name such as Europe/Warsaw or UTC");
            return Optional.empty();
        }
    }

    private static Instant anchor(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }
}
