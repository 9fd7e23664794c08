package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.Page;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunFilter;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.testing.Await;
import io.sluice.testing.FreshDataDirectory;
import io.sluice.testing.MovableClock;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler over the real catalog and executor, its clock moved by hand: which slots run, once each, across
 * restarts, downtime, pauses, a DST change and two schedulers at once.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class SchedulerTest {
    private static final Instant DAY = Instant.parse("2026-01-05T00:00:00Z");

    @Inject
    CatalogStore store;

    @Inject
    PipelineRegistry registry;

    @Inject
    RunExecutor executor;

    @Inject
    RunOwners owners;

    @Inject
    SluiceConfig config;

    private final List<String> pipelines = new ArrayList<>();
    private final List<Scheduler> schedulers = new ArrayList<>();

    @AfterEach
    void noRunLeftActive() throws Exception {
        // Their terms end with the test: the next test's schedulers, whose clocks start over, tick at once.
        schedulers.forEach(Scheduler::close);
        for (String pipeline : pipelines) {
            Await.until("the runs of " + pipeline + " to end", Duration.ofSeconds(120), () -> runs(pipeline).stream()
                    .filter(run -> run.state() != RunState.SCHEDULED && !run.state().isTerminal()).count(), count -> count == 0);
            registry.delete(pipeline, "");
        }
    }

    @Test
    void aDayOfAFiveMinuteCronRunsEachSlotOnceAcrossARestart() throws Exception {
        String pipeline = register("every-five", "schedules: [ { cron: \"*/5 * * * *\" } ]");
        MovableClock clock = new MovableClock(DAY);
        Scheduler first = recordingScheduler(clock);
        tickEveryMinute(first, clock, DAY.plus(Duration.ofHours(12)));
        // A restart: a new scheduler over the same catalog goes on from the mark, a tick the first made included.
        Scheduler second = recordingScheduler(clock);
        clock.set(DAY.plus(Duration.ofHours(12)).minus(Duration.ofMinutes(1)));
        tickEveryMinute(second, clock, DAY.plus(Duration.ofHours(24)));

        assertEquals(slots(DAY, Duration.ofMinutes(5), 288), startedSlots(pipeline));
        assertTrue(runs(pipeline).stream().allMatch(run -> run.trigger() == Trigger.SCHEDULE));
        assertEquals(List.of("schedule:*/5 * * * *@" + DAY.plus(Duration.ofDays(1))), forecast(pipeline),
                "the next slot waits SCHEDULED");
    }

    @Test
    void twoSchedulersOverOneCatalogRunEachSlotOnce() throws Exception {
        String pipeline = register("two-schedulers", "schedules: [ { cron: \"*/5 * * * *\" } ]");
        MovableClock clock = new MovableClock(DAY);
        Scheduler one = recordingScheduler(clock);
        Scheduler other = recordingScheduler(clock);
        ExecutorService both = Executors.newFixedThreadPool(2);
        try {
            for (Instant time = DAY; !time.isAfter(DAY.plus(Duration.ofHours(2))); time = time.plus(Duration.ofMinutes(1))) {
                clock.set(time);
                Callable<Void> tickOne = () -> {
                    one.tick();
                    return null;
                };
                Callable<Void> tickOther = () -> {
                    other.tick();
                    return null;
                };
                for (Future<Void> tick : both.invokeAll(List.of(tickOne, tickOther))) {
                    tick.get();
                }
            }
        } finally {
            both.shutdownNow();
        }
        assertEquals(slots(DAY, Duration.ofMinutes(5), 25), startedSlots(pipeline));
    }

    @Test
    void oneLateSlotIsSkippedOrRunOnceLate() throws Exception {
        String skipping = register("misfire-skip", "schedules: [ { cron: \"*/5 * * * *\", misfire: SKIP_MISSED } ]");
        String running = register("misfire-run", "schedules: [ { cron: \"*/5 * * * *\", misfire: RUN_ONCE } ]");
        MovableClock clock = new MovableClock(DAY);
        Scheduler scheduler = scheduler(clock);
        scheduler.tick();
        clock.set(DAY.plus(Duration.ofMinutes(7)));
        scheduler.tick();
        clock.set(DAY.plus(Duration.ofMinutes(10)));
        scheduler.tick();

        assertEquals(List.of(DAY, DAY.plus(Duration.ofMinutes(10))), startedSlots(skipping));
        assertEquals(slots(DAY, Duration.ofMinutes(5), 3), startedSlots(running));
    }

    @Test
    void slotsMissedInAnHourDownCoalesceOrAreSkippedOrAllRunUpToTheCap() throws Exception {
        String coalescing = register("late-coalesce", "schedules: [ { cron: \"*/5 * * * *\", late_runs: COALESCE } ]");
        String skipping = register("late-skip", "schedules: [ { cron: \"*/5 * * * *\", late_runs: SKIP } ]");
        String all = register("late-all", "schedules: [ { cron: \"*/5 * * * *\", late_runs: ALL, max_late_runs: 5 } ]");
        MovableClock clock = new MovableClock(DAY);
        scheduler(clock).tick();
        // Down from just after 00:00 until 01:02: the slots 00:05 to 01:00 are late.
        clock.set(DAY.plus(Duration.ofMinutes(62)));
        Scheduler restarted = scheduler(clock);
        restarted.tick();
        clock.set(DAY.plus(Duration.ofMinutes(65)));
        restarted.tick();

        Instant back = DAY.plus(Duration.ofMinutes(65));
        assertEquals(List.of(DAY, DAY.plus(Duration.ofHours(1)), back), startedSlots(coalescing));
        assertEquals(List.of(DAY, back), startedSlots(skipping));
        List<Instant> expected = new ArrayList<>(List.of(DAY));
        expected.addAll(slots(DAY.plus(Duration.ofMinutes(40)), Duration.ofMinutes(5), 5));
        expected.add(back);
        assertEquals(expected, startedSlots(all));
    }

    @Test
    void anIntervalCountsFromItsAnchor() throws Exception {
        String pipeline = register("interval", "schedules: [ { interval: 10m, anchor: \"2020-01-01T00:03:00Z\" } ]");
        MovableClock clock = new MovableClock(DAY);
        tickEveryMinute(scheduler(clock), clock, DAY.plus(Duration.ofHours(1)));

        assertEquals(slots(DAY.plus(Duration.ofMinutes(3)), Duration.ofMinutes(10), 6), startedSlots(pipeline));
    }

    @Test
    void aCronInWarsawFollowsTheClocksAcrossTheSpringDstChange() throws Exception {
        // 2026-03-29: Warsaw moves from UTC+1 to UTC+2 at 02:00 local time; 02:30 does not exist that day.
        String daily = register("warsaw-nine", "schedules: [ { cron: \"0 9 * * *\", timezone: Europe/Warsaw } ]");
        String nightly = register("warsaw-half-past-two", "schedules: [ { cron: \"30 2 * * *\", timezone: Europe/Warsaw } ]");
        Instant start = Instant.parse("2026-03-28T00:00:00Z");
        MovableClock clock = new MovableClock(start);
        Scheduler scheduler = scheduler(clock);
        for (Instant time = start; !time.isAfter(Instant.parse("2026-03-31T00:00:00Z")); time = time.plus(Duration.ofMinutes(15))) {
            clock.set(time);
            scheduler.tick();
        }
        assertEquals(List.of(Instant.parse("2026-03-28T08:00:00Z"), Instant.parse("2026-03-29T07:00:00Z"),
                Instant.parse("2026-03-30T07:00:00Z")), startedSlots(daily));
        List<Instant> nights = startedSlots(nightly);
        assertEquals(Instant.parse("2026-03-28T01:30:00Z"), nights.getFirst());
        assertEquals(Instant.parse("2026-03-30T00:30:00Z"), nights.getLast());
        assertTrue(nights.size() <= 3, "the day without 02:30 fires it at most once: " + nights);
    }

    @Test
    void aPausedPipelineFiresNothingAndResumesWithItsNextSlot() throws Exception {
        String yaml = "schedules: [ { cron: \"*/5 * * * *\" } ]";
        String pipeline = register("paused", yaml + "\nschedules_paused: true");
        MovableClock clock = new MovableClock(DAY);
        Scheduler scheduler = scheduler(clock);
        tickEveryMinute(scheduler, clock, DAY.plus(Duration.ofMinutes(31)));
        assertEquals(List.of(), startedSlots(pipeline));
        assertEquals(List.of(), forecast(pipeline), "a paused schedule keeps no run SCHEDULED");
        assertEquals(List.of(), scheduler.upcoming(registry.spec(pipeline), 3));

        registry.replace(spec(pipeline, yaml), "");
        assertEquals(slots(DAY.plus(Duration.ofMinutes(35)), Duration.ofMinutes(5), 3), scheduler.upcoming(registry.spec(pipeline), 3));
        clock.set(DAY.plus(Duration.ofMinutes(31)));
        tickEveryMinute(scheduler, clock, DAY.plus(Duration.ofMinutes(46)));
        assertEquals(slots(DAY.plus(Duration.ofMinutes(35)), Duration.ofMinutes(5), 3), startedSlots(pipeline),
                "the slots that passed while paused are not made up for");
    }

    @Test
    void jitterDelaysEachSlotByTheSameAmountOnEveryScheduler() throws Exception {
        String pipeline = register("jittered", "schedules: [ { cron: \"*/5 * * * *\", jitter: 40s, misfire_grace: 2m } ]");
        PipelineSpec spec = registry.spec(pipeline);
        ScheduleSlots slots = new ScheduleSlots(pipeline, spec.schedules().getFirst());
        Set<Instant> delayed = slots(DAY, Duration.ofMinutes(5), 50).stream().map(slots::runTime).collect(Collectors.toSet());
        for (Instant slot : slots(DAY, Duration.ofMinutes(5), 50)) {
            Instant runTime = slots.runTime(slot);
            assertTrue(!runTime.isBefore(slot) && !runTime.isAfter(slot.plusSeconds(40)), slot + " runs at " + runTime);
            assertEquals(runTime, new ScheduleSlots(pipeline, registry.spec(pipeline).schedules().getFirst()).runTime(slot));
        }
        assertTrue(delayed.stream().map(time -> time.getEpochSecond() % 300).distinct().count() > 5, "delays differ per slot");
        MovableClock clock = new MovableClock(DAY);
        Scheduler scheduler = scheduler(clock);
        Instant firstRunTime = slots.runTime(DAY);
        if (firstRunTime.isAfter(DAY)) {
            scheduler.tick();
            assertEquals(List.of(), startedSlots(pipeline), "not before its jittered time");
        }
        clock.set(firstRunTime);
        scheduler.tick();
        assertEquals(List.of(DAY), startedSlots(pipeline));
    }

    @Test
    void aPipelineChangedOrDeletedBetweenItsSlotsIsLookedAtOnTheNextTick() throws Exception {
        String pipeline = register("changed-between-slots", "schedules: [ { cron: \"*/5 * * * *\" } ]");
        MovableClock clock = new MovableClock(DAY);
        Scheduler scheduler = recordingScheduler(clock);
        scheduler.tick();
        assertEquals(List.of("schedule:*/5 * * * *@" + DAY.plus(Duration.ofMinutes(5))), forecast(pipeline));

        registry.replace(spec(pipeline, "schedules: [ { cron: \"*/10 * * * *\" } ]"), "");
        clock.set(DAY.plus(Duration.ofMinutes(1)));
        scheduler.tick();
        assertEquals(List.of("schedule:*/10 * * * *@" + DAY.plus(Duration.ofMinutes(10))), forecast(pipeline),
                "the new schedule's next slot waits SCHEDULED, the old one's is gone, before either slot comes");

        registry.delete(pipeline, "");
        pipelines.remove(pipeline);
        clock.set(DAY.plus(Duration.ofMinutes(2)));
        scheduler.tick();
        assertEquals(List.of(), forecast(pipeline), "a deleted pipeline's forecast goes with it");
        assertEquals(List.of(DAY), startedSlots(pipeline));
    }

    @Test
    void aSlotThatCameBetweenRegistrationAndTheFirstLookRuns() throws Exception {
        // Registered now (the catalog stamps it with the real time); the scheduler first looks 30 s after the slot.
        Instant slot = Instant.now().plus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS);
        String pipeline = register("looked-at-late", "schedules: [ { interval: 24h, anchor: \"" + slot + "\" } ]");
        MovableClock clock = new MovableClock(slot.plusSeconds(30));
        recordingScheduler(clock).tick();
        assertEquals(List.of(slot), startedSlots(pipeline), "its history starts at its registration, not at the first look");
    }

    private Scheduler scheduler(MovableClock clock) {
        return kept(new Scheduler(store, registry, executor, owners, clock));
    }

    private Scheduler kept(Scheduler scheduler) {
        schedulers.add(scheduler);
        return scheduler;
    }

    /**
     * A scheduler whose slots' runs are only recorded in the catalog, COMPLETED at once, the way the executor stores
     * them (a SCHEDULED run claimed, else a new one under the request id): for the tests of hundreds of slots, which
     * are about the catalog keeping each slot once, not about running pipelines.
     */
    private Scheduler recordingScheduler(MovableClock clock) {
        return kept(new Scheduler(store, registry, (pipeline, requestId) -> {
            Optional<Run> earlier = store.runByRequestId(pipeline, requestId);
            if (earlier.isPresent() && !(earlier.get().state() == RunState.SCHEDULED && store.claimScheduled(earlier.get().id(), owners.self()))) {
                return earlier.get();
            }
            Run run = earlier.orElseGet(() -> new Run(UUID.randomUUID().toString(), pipeline, RunState.PENDING, Trigger.SCHEDULE,
                    requestId, clock.instant(), Optional.empty(), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", ""));
            Run stored = earlier.isPresent() ? run : store.insertRun(run, owners.self());
            if (stored.id().equals(run.id())) {
                store.updateRun(stored.ended(RunState.COMPLETED, clock.instant(), "", Optional.empty()));
            }
            return stored;
        }, owners, clock));
    }

    private static void tickEveryMinute(Scheduler scheduler, MovableClock clock, Instant until) {
        for (Instant time = clock.instant(); time.isBefore(until); time = time.plus(Duration.ofMinutes(1))) {
            clock.set(time);
            scheduler.tick();
        }
    }

    private static List<Instant> slots(Instant first, Duration every, int count) {
        return Stream.iterate(first, slot -> slot.plus(every)).limit(count).toList();
    }

    /** The slots of the pipeline's started (not SCHEDULED) runs, oldest first, a slot run twice listed twice. */
    private List<Instant> startedSlots(String pipeline) {
        return runs(pipeline).stream().filter(run -> run.state() != RunState.SCHEDULED)
                .map(run -> Instant.parse(run.requestId().substring(run.requestId().indexOf('@') + 1))).sorted().toList();
    }

    private List<String> forecast(String pipeline) {
        return runs(pipeline).stream().filter(run -> run.state() == RunState.SCHEDULED).map(Run::requestId).toList();
    }

    private List<Run> runs(String pipeline) {
        List<Run> runs = new ArrayList<>();
        String token = "";
        do {
            Page<Run> page = store.runs(new RunFilter(Optional.of(pipeline), Set.of(), Optional.empty(), Optional.empty()), 500, token);
            runs.addAll(page.items());
            token = page.nextPageToken();
        } while (!token.isEmpty());
        return runs;
    }

    private String register(String name, String scheduleYaml) throws Exception {
        registry.create(spec(name, scheduleYaml));
        pipelines.add(name);
        return name;
    }

    private PipelineSpec spec(String name, String scheduleYaml) throws Exception {
        Path directory = Files.createDirectories(config.dataDir().resolve("input-" + name));
        Files.writeString(directory.resolve("items.jsonl"), "{\"id\": 1}\n");
        return PipelineSpecs.toSpec(SpecReader.parse("""
                name: %s
                source:
                  filesystem:
                    base_path: "%s"
                    resources: [ { name: items, glob: "items.jsonl" } ]
                destination: { duckdb: { path: "%s" }, dataset: raw }
                %s
                """.formatted(name, directory, config.dataDir().resolve(name + ".duckdb"), scheduleYaml), name), name);
    }
}
