package io.sluice.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Stage;
import io.sluice.runs.RunEvent;
import io.sluice.runs.RunObserver;
import io.sluice.runs.SluiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Prometheus metrics of runs, read from their events: runs by end state, run and stage durations, rows and bytes
 * loaded, retries, and the runs active, queued and holding slots of the global limit ({@code sluice.runs.max-active}).
 */
@ApplicationScoped
class RunMetrics implements RunObserver {
    private final MeterRegistry registry;
    /** The runs not yet ended, as they are now. */
    private final Map<String, Run> live = new ConcurrentHashMap<>();
    /** Per run not yet ended: the bytes its load stage reported per table so far. */
    private final Map<String, Map<String, Long>> loadedBytes = new ConcurrentHashMap<>();

    RunMetrics(MeterRegistry registry, SluiceConfig config) {
        this.registry = registry;
        Gauge.builder("sluice.runs.active", live, RunMetrics::started).strongReference(true)
                .description("Runs started and not yet ended (RUNNING, RETRYING, or CANCELLING after they started)").register(registry);
        Gauge.builder("sluice.runs.queued", live, runs -> runs.values().stream().filter(run -> run.state() == RunState.PENDING).count())
                .strongReference(true).description("Runs PENDING: waiting for their turn or a free run slot").register(registry);
        Gauge.builder("sluice.run.slots", live, RunMetrics::started).strongReference(true).tag("state", "used")
                .description("Slots of the global limit of active runs (sluice.runs.max-active)").register(registry);
        int slots = config.runs().maxActive();
        Gauge.builder("sluice.run.slots", live, runs -> Math.max(0, slots - started(runs))).strongReference(true).tag("state", "free")
                .description("Slots of the global limit of active runs (sluice.runs.max-active)").register(registry);
    }

    @Override
    public void triggered(Run run) {
        live.put(run.id(), run);
    }

    @Override
    public void published(Run run, RunEvent event) {
        switch (event) {
            case RunEvent.StateChanged changed -> stateChanged(run, changed);
            case RunEvent.TableProgress progress when progress.stage() == Stage.LOAD ->
                    loadedBytes.computeIfAbsent(run.id(), id -> new ConcurrentHashMap<>()).merge(progress.table(), progress.bytes(), Math::max);
            case RunEvent.Summary summary -> completed(run, summary.summary());
            case RunEvent.TableProgress ignored -> {
            }
            case RunEvent.Snapshot ignored -> {
            }
            case RunEvent.LogLine ignored -> {
            }
            case RunEvent.SchemaChanged ignored -> {
            }
        }
    }

    private void stateChanged(Run run, RunEvent.StateChanged changed) {
        if (changed.to() == RunState.RETRYING) {
            Counter.builder("sluice.run.retries").description("Attempts of runs beyond their first")
                    .tag("pipeline", run.pipeline()).register(registry).increment();
        }
        if (!changed.to().isTerminal()) {
            live.put(run.id(), run);
            return;
        }
        live.remove(run.id());
        Map<String, Long> bytes = loadedBytes.remove(run.id());
        String state = changed.to().name();
        Counter.builder("sluice.runs").description("Runs ended, by pipeline and end state")
                .tags("pipeline", run.pipeline(), "state", state).register(registry).increment();
        Duration ran = Duration.between(run.startTime().orElse(run.createTime()), run.endTime().orElse(run.createTime()));
        Timer.builder("sluice.run.duration").description("How long runs ran, from their start (or trigger, when they never started) to their end")
                .tags("pipeline", run.pipeline(), "state", state).publishPercentileHistogram().register(registry).record(ran);
        if (changed.to() == RunState.COMPLETED && bytes != null) {
            bytes.forEach((table, count) -> Counter.builder("sluice.bytes.loaded").description("Bytes of staged files loaded, by pipeline and table")
                    .tags("pipeline", run.pipeline(), "table", table).register(registry).increment(count));
        }
    }

    /** A run's summary, published just before it ends COMPLETED: its rows per table and its time per stage. */
    private void completed(Run run, RunSummary summary) {
        for (RunSummary.TableRows table : summary.tables()) {
            Counter.builder("sluice.rows.loaded").description("Rows loaded, by pipeline and table")
                    .tags("pipeline", run.pipeline(), "table", table.table()).register(registry).increment(table.rows());
        }
        for (RunSummary.StageTime stage : summary.stages()) {
            Timer.builder("sluice.stage.duration").description("Time completed runs spent in each stage")
                    .tags("pipeline", run.pipeline(), "stage", stage.stage().name().toLowerCase(Locale.ROOT))
                    .publishPercentileHistogram().register(registry).record(stage.elapsed());
        }
    }

    private static long started(Map<String, Run> runs) {
        return runs.values().stream().filter(run -> run.startTime().isPresent()).count();
    }
}
