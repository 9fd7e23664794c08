package io.sluice.runs.alerts;

import io.quarkus.mailer.Mailer;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.pipeline.AlertChannel;
import io.sluice.pipeline.AlertSpec;
import io.sluice.pipeline.AlertState;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.runs.RunEvent;
import io.sluice.runs.RunObserver;
import io.sluice.runs.SluiceConfig;
import io.sluice.security.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Sends a pipeline's alerts as its runs enter the states they name. Each alert is sent on a virtual thread of its own,
 * so the run goes on, and ends, whatever the alert's channel does.
 */
@ApplicationScoped
class AlertObserver implements RunObserver {
    private final AlertDelivery delivery;
    /** The runs not yet ended whose pipeline has alerts: its alerts, and how to record on the run what became of them. */
    private final Map<String, Alerting> alerting = new ConcurrentHashMap<>();

    private record Alerting(List<AlertSpec> alerts, Consumer<RunEvent> record) {
    }

    @Inject
    AlertObserver(SluiceConfig config, Mailer mailer) {
        this(new AlertDelivery(Secrets.of(config.secret()), new WebhookPoster(config.alerts().timeout()), new MailSender(mailer),
                config.alerts().attempts(), config.alerts().backoff()));
    }

    AlertObserver(AlertDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public void triggered(Run run, PipelineSpec spec, Consumer<RunEvent> record) {
        if (!spec.alerts().isEmpty()) {
            alerting.put(run.id(), new Alerting(spec.alerts(), record));
        }
    }

    @Override
    public void published(Run run, RunEvent event) {
        if (!(event instanceof RunEvent.StateChanged changed) || changed.from() == changed.to()) {
            return;
        }
        Alerting target = changed.to().isTerminal() ? alerting.remove(run.id()) : alerting.get(run.id());
        Optional<AlertState> state = alertState(changed.to());
        if (target == null || state.isEmpty()) {
            return;
        }
        AlertMessage message = AlertMessage.of(run);
        for (AlertSpec alert : target.alerts()) {
            if (alert.sentOn(state.get())) {
                AlertChannel channel = alert.channel();
                Thread.ofVirtual().name("alert-" + run.id()).start(() -> delivery.deliver(channel, message, target.record()));
            }
        }
    }

    /** The state as alerts name it; empty for the states no alert is sent on. */
    private static Optional<AlertState> alertState(RunState state) {
        return switch (state) {
            case RUNNING -> Optional.of(AlertState.RUNNING);
            case RETRYING -> Optional.of(AlertState.RETRYING);
            case COMPLETED -> Optional.of(AlertState.COMPLETED);
            case FAILED -> Optional.of(AlertState.FAILED);
            case CANCELLING -> Optional.of(AlertState.CANCELLING);
            case CANCELLED -> Optional.of(AlertState.CANCELLED);
            case CRASHED -> Optional.of(AlertState.CRASHED);
            case SKIPPED -> Optional.of(AlertState.SKIPPED);
            case SCHEDULED, PENDING -> Optional.empty();
        };
    }
}
