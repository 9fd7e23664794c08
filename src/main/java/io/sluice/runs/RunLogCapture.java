package io.sluice.runs;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;

/** Hears everything runs' code logs, whatever the logger, while the service runs: the root logger's {@link RunLogHandler}. */
@ApplicationScoped
class RunLogCapture {
    private final RunLogHandler handler = new RunLogHandler();

    void install(@Observes StartupEvent started) {
        Logger.getLogger("").addHandler(handler);
    }

    void remove(@Observes ShutdownEvent stopping) {
        Logger.getLogger("").removeHandler(handler);
    }
}
