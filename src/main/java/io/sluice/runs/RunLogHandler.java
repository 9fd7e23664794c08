package io.sluice.runs;

import java.util.Objects;
import java.util.Optional;
import java.util.logging.ErrorManager;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Makes what a run's code logs one of the run's log lines: a record logged on a thread that works for a run (see
 * {@link RunLogContext}) by Sluice's engine — its sources, normalizer and destinations. Not by this package, whose records
 * about a run repeat what the run's own events say; nor by the libraries the engine calls, whose messages were not written
 * for the run's reader and may quote connection details. Only the message is kept, never the exception logged with it:
 * a message is written to be read, while an exception's text may quote what it was given (a URL with its query, a
 * connection string); why a run failed is in its own error line.
 */
final class RunLogHandler extends Handler {
    private static final String ENGINE = "io.sluice.";
    private static final String RUNS = RunLogHandler.class.getPackageName() + ".";

    /** Formats the parameters of records logged through java.util.logging rather than JBoss Logging. */
    private final Formatter parameters = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
        Optional<RunChannel> run = RunLogContext.current();
        String logger = Objects.requireNonNullElse(record.getLoggerName(), "");
        if (run.isEmpty() || !isLoggable(record) || !logger.startsWith(ENGINE) || logger.startsWith(RUNS)) {
            return;
        }
        if (Thread.holdsLock(run.get())) {
            // Logged while the run's channel is busy on this thread (writing to the catalog, say): publishing now would
            // number this line before the event being published.
            return;
        }
        try {
            run.get().publish(new RunEvent.LogLine(level(record.getLevel()), logger, message(record)));
        } catch (RuntimeException e) {
            // Logging never fails the code that logs.
            reportError("cannot add a log line to run " + run.get().run().id(), e, ErrorManager.WRITE_FAILURE);
        }
    }

    private String message(LogRecord record) {
        return record instanceof ExtLogRecord extended ? extended.getFormattedMessage() : parameters.formatMessage(record);
    }

    private static RunEvent.LogLine.Level level(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return RunEvent.LogLine.Level.ERROR;
        }
        if (value >= Level.WARNING.intValue()) {
            return RunEvent.LogLine.Level.WARN;
        }
        return value >= Level.INFO.intValue() ? RunEvent.LogLine.Level.INFO : RunEvent.LogLine.Level.DEBUG;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
