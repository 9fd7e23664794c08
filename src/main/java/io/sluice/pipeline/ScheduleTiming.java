package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** When a schedule fires: the times (slots) it yields one after another. */
public sealed interface ScheduleTiming {
    /** The first slot strictly after {@code time}; empty when there is none (a cron for a date that never comes). */
    Optional<Instant> next(Instant time);

    /** A five-field UNIX cron expression read in a time zone; the expression is checked when the record is made. */
    record Cron(String expression, ZoneId zone) implements ScheduleTiming {
        private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
        /** Parsed once per expression: a schedule is stepped through on every tick. */
        private static final Map<String, ExecutionTime> PARSED = new ConcurrentHashMap<>();

        /** @throws IllegalArgumentException when the expression is not a five-field UNIX cron expression */
        public Cron {
            requireNonNull(expression, "expression is null");
            requireNonNull(zone, "zone is null");
            executionTime(expression);
        }

        @Override
        public Optional<Instant> next(Instant time) {
            return executionTime(expression).nextExecution(ZonedDateTime.ofInstant(time, zone)).map(ZonedDateTime::toInstant);
        }

        private static ExecutionTime executionTime(String expression) {
            return PARSED.computeIfAbsent(expression, text -> ExecutionTime.forCron(PARSER.parse(text).validate()));
        }
    }

    /** Every {@code every}, at {@code anchor} plus a whole number of intervals. */
    record Interval(Duration every, Instant anchor) implements ScheduleTiming {
        public Interval {
            requireNonNull(every, "every is null");
            requireNonNull(anchor, "anchor is null");
            if (every.isNegative() || every.isZero()) {
                throw new IllegalArgumentException("every must be longer than zero: " + every);
            }
        }

        @Override
        public Optional<Instant> next(Instant time) {
            Duration since = Duration.between(anchor, time);
            long steps = Math.floorDiv(since.toNanos(), every.toNanos()) + 1;
            return Optional.of(anchor.plus(every.multipliedBy(steps)));
        }
    }
}
