package io.sluice.observability;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Stage;
import io.sluice.runs.RunEvent;
import io.sluice.runs.RunObserver;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Traces runs: a span per run, a child of the span of the call that triggered it (a gRPC TriggerRun, when that call
 * was traced), kept with the run since the run outlives the call; and under it a span per stage, from the stage's first
 * progress to the next stage's, or the run's end. With the OpenTelemetry SDK disabled (the default) the spans are
 * no-ops.
 */
@ApplicationScoped
class RunTracing implements RunObserver {
    private final Tracer tracer;
    private final Map<String, RunSpans> runs = new ConcurrentHashMap<>();

    RunTracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /** A run's span, and its stages' spans, the last one still open. */
    private record RunSpans(Span run, Map<Stage, Span> stages) {
    }

    @Override
    public void triggered(Run run) {
        Span span = tracer.spanBuilder("run " + run.pipeline())
                .setParent(Context.current())
                .setStartTimestamp(run.createTime())
                .setAttribute("sluice.pipeline", run.pipeline())
                .setAttribute("sluice.run.id", run.id())
                .setAttribute("sluice.run.trigger", run.trigger().name())
                .startSpan();
        runs.put(run.id(), new RunSpans(span, new EnumMap<>(Stage.class)));
    }

    @Override
    public void published(Run run, RunEvent event) {
        RunSpans spans = runs.get(run.id());
        if (spans == null) {
            return;
        }
        switch (event) {
            case RunEvent.TableProgress progress when !spans.stages().containsKey(progress.stage()) -> {
                Instant now = Instant.now();
                spans.stages().values().forEach(open -> open.end(now));
                Span stage = tracer.spanBuilder(progress.stage().name().toLowerCase(Locale.ROOT))
                        .setParent(Context.current().with(spans.run()))
                        .setStartTimestamp(now.minus(progress.elapsed()))
                        .setAttribute("sluice.pipeline", run.pipeline())
                        .setAttribute("sluice.run.id", run.id())
                        .startSpan();
                spans.stages().put(progress.stage(), stage);
            }
            case RunEvent.StateChanged changed when changed.to().isTerminal() -> end(run, spans, changed.to());
            case RunEvent.StateChanged changed -> spans.run().addEvent(changed.to().name());
            case RunEvent.Summary summary -> spans.run().setAttribute("sluice.rows", summary.summary().rows());
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

    private void end(Run run, RunSpans spans, RunState state) {
        runs.remove(run.id());
        Instant now = Instant.now();
        // Ending an ended span does nothing: each stage's span is ended once, by the next stage or here.
        spans.stages().values().forEach(stage -> stage.end(now));
        spans.run().setAttribute("sluice.run.state", state.name());
        if (state == RunState.FAILED || state == RunState.CRASHED) {
            spans.run().setStatus(StatusCode.ERROR, run.error());
        }
        spans.run().end(now);
    }
}
