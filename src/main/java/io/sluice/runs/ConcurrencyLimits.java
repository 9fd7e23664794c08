package io.sluice.runs;

import static java.util.Objects.requireNonNull;

import io.sluice.load.OwnerLock;
import io.sluice.pipeline.ConcurrencySpec;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Every limit a run waits for before it runs, in the order it takes them: its pipeline's turn ({@code max_active_runs},
 * see {@link PipelineTurns}), then the named limits its pipeline shares with others (by name, so two runs never wait
 * for each other's), then a slot of the global limit — so a run waiting for one holds none of those after it. What
 * runs hold and wait for is shown by {@link #snapshot()}; it is all in memory or OS file locks, so a process that dies
 * holds nothing.
 */
@ApplicationScoped
public class ConcurrencyLimits {
    private final PipelineTurns turns;
    private final SharedLimit global;
    private final Map<String, SharedLimit> named = new TreeMap<>();
    /** The max_active_runs of each pipeline with runs in line, as its latest run's spec says. */
    private final Map<String, Integer> maxActiveRuns = new ConcurrentHashMap<>();

    ConcurrencyLimits(SluiceConfig config) {
        this.turns = new PipelineTurns(config.dataDir());
        this.global = new SharedLimit("global", config.runs().maxActive(), "the global limit (sluice.runs.max-active)");
        config.limits().forEach((name, size) -> named.put(name, new SharedLimit(name, size, "limit " + name + " (sluice.limits." + name + ")")));
    }

    /** What becomes of a run as it is triggered. */
    sealed interface Admission {
        /** It is in its pipeline's line; {@code cancelFirst} are the runs its on_overlap CANCEL_RUNNING cancels. */
        record Joined(List<String> cancelFirst) implements Admission {
            public Joined {
                cancelFirst = List.copyOf(cancelFirst);
            }
        }

        /** Its on_overlap SKIP ends it SKIPPED at once, for {@code reason}. */
        record Skipped(String reason) implements Admission {
        }
    }

    /**
     * Checks that every limit the spec names is configured.
     *
     * @throws InvalidSpecException naming each unknown limit by its field path
     */
    public PipelineSpec checked(PipelineSpec spec) {
        List<Problem> problems = problems(spec);
        if (!problems.isEmpty()) {
            throw new InvalidSpecException("", problems);
        }
        return spec;
    }

    /** The limits the spec names that are not configured, each by its field path. */
    public List<Problem> problems(PipelineSpec spec) {
        List<String> limits = spec.concurrency().limits();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < limits.size(); i++) {
            if (!named.containsKey(limits.get(i))) {
                problems.add(new Problem("concurrency.limits[" + i + "]", "no limit '" + limits.get(i) + "' is configured; the service's"
                        + " config names its size (sluice.limits." + limits.get(i) + "=2)" + configured(), Problem.Kind.INVALID));
            }
        }
        return problems;
    }

    /** How every limit is used now: the global one first, then each pipeline with runs in line, then the named ones. */
    public List<LimitUsage> snapshot() {
        List<LimitUsage> usages = new ArrayList<>();
        usages.add(global.usage(LimitUsage.Kind.GLOBAL));
        turns.lines().forEach((pipeline, line) -> {
            int size = maxActiveRuns.getOrDefault(pipeline, 1);
            usages.add(new LimitUsage(LimitUsage.Kind.PIPELINE, pipeline, size, line.stream().limit(size).toList(),
                    line.stream().skip(size).toList()));
        });
        named.values().forEach(limit -> usages.add(limit.usage(LimitUsage.Kind.NAMED)));
        return usages;
    }

    /**
     * Puts a run just triggered in its pipeline's line, unless its on_overlap says otherwise; runs are admitted in the
     * order of these calls.
     */
    synchronized Admission join(PipelineSpec spec, String runId) {
        ConcurrencySpec concurrency = spec.concurrency();
        List<String> active = turns.line(spec.name());
        boolean overlaps = active.size() >= concurrency.maxActiveRuns();
        if (overlaps && concurrency.onOverlap() == ConcurrencySpec.OnOverlap.SKIP) {
            return new Admission.Skipped("skipped: pipeline " + spec.name() + " already has " + active.size() + " active run"
                    + (active.size() == 1 ? " " : "s ") + String.join(", ", active) + " (max_active_runs "
                    + concurrency.maxActiveRuns() + ", on_overlap SKIP)");
        }
        maxActiveRuns.put(spec.name(), concurrency.maxActiveRuns());
        turns.join(spec.name(), runId);
        return new Admission.Joined(overlaps && concurrency.onOverlap() == ConcurrencySpec.OnOverlap.CANCEL_RUNNING ? active : List.of());
    }

    /**
     * Waits PENDING, saying why, until the run may run: takes its turn, then the named limits, then a global slot.
     *
     * @param waiting told why the run waits as it starts waiting for each; {@link #whyWaiting} says it as holders change
     * @return what the run holds, given back when closed
     * @throws InterruptedException when the run was stopped while it waited; it holds nothing then
     */
    Held enter(PipelineSpec spec, String runId, Consumer<String> waiting) throws InterruptedException {
        ConcurrencySpec concurrency = spec.concurrency();
        String because = concurrency.equals(ConcurrencySpec.TAKE_TURNS) ? "runs of one pipeline take turns"
                : "its concurrency.max_active_runs is " + concurrency.maxActiveRuns();
        OwnerLock turn = turns.await(spec.name(), runId, concurrency.maxActiveRuns(), because, waiting);
        List<SharedLimit> taken = new ArrayList<>();
        try {
            for (String name : concurrency.limits().stream().sorted().toList()) {
                SharedLimit limit = named.get(name);
                limit.take(runId, waiting);
                taken.add(limit);
            }
            global.take(runId, waiting);
            taken.add(global);
        } catch (InterruptedException | RuntimeException stopped) {
            new Held(runId, turn, taken).close();
            throw stopped;
        }
        return new Held(runId, turn, taken);
    }

    /**
     * Admits a run just triggered at once, when nothing stands in its way — it would be its pipeline's turn, and a slot
     * of each limit is free with no run waiting for one — so that it starts RUNNING as it is stored. It is then in its
     * pipeline's line, holding its turn and slots; otherwise nothing changed, and the run {@link #join}s and
     * {@link #enter}s as any other.
     *
     * @return what the run holds, given back when closed; empty when it would have to wait
     */
    synchronized Optional<Held> tryEnter(PipelineSpec spec, String runId) {
        ConcurrencySpec concurrency = spec.concurrency();
        Optional<OwnerLock> turn = turns.tryTakeAtOnce(spec.name(), concurrency.maxActiveRuns());
        if (turn.isEmpty()) {
            return Optional.empty();
        }
        List<SharedLimit> taken = new ArrayList<>();
        for (SharedLimit limit : Stream.concat(concurrency.limits().stream().sorted().map(named::get), Stream.of(global)).toList()) {
            if (!limit.tryTake(runId)) {
                new Held(runId, turn.get(), taken).close();
                return Optional.empty();
            }
            taken.add(limit);
        }
        maxActiveRuns.put(spec.name(), concurrency.maxActiveRuns());
        turns.join(spec.name(), runId);
        return Optional.of(new Held(runId, turn.get(), taken));
    }

    /** Gives back what a run admitted by {@link #tryEnter} holds, when it was not stored after all, and takes it out of line. */
    void giveBack(String pipeline, Held held) {
        try {
            held.close();
        } finally {
            leave(pipeline, held.runId());
        }
    }

    /**
     * Why a run of this process waits now, naming the runs that hold what it waits for; empty when it waits for none. Read
     * when asked: telling every waiting run again each time a holder changes cost a catalog write per waiting run at
     * every run's end.
     */
    Optional<String> whyWaiting(String runId) {
        return turns.whyWaiting(runId)
                .or(() -> named.values().stream().flatMap(limit -> limit.whyWaiting(runId).stream()).findFirst())
                .or(() -> global.whyWaiting(runId));
    }

    /** Takes the run out of its pipeline's line, whether it had its turn or was stopped waiting for it. */
    synchronized void leave(String pipeline, String runId) {
        turns.leave(pipeline, runId);
        maxActiveRuns.computeIfPresent(pipeline, (name, size) -> turns.line(name).isEmpty() ? null : size);
    }

    private String configured() {
        return named.isEmpty() ? "; none is configured" : "; configured: " + String.join(", ", named.keySet());
    }

    /** The turn and the slots one run holds; closing gives them back, the slots first. */
    record Held(String runId, OwnerLock turn, List<SharedLimit> slots) implements AutoCloseable {
        Held {
            requireNonNull(runId, "runId is null");
            requireNonNull(turn, "turn is null");
            slots = List.copyOf(requireNonNull(slots, "slots is null"));
        }

        @Override
        public void close() {
            try {
                slots.reversed().forEach(limit -> limit.release(runId));
            } finally {
                turn.close();
            }
        }
    }
}
