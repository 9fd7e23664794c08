package io.sluice.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.catalog.StoredEvent;
import io.sluice.catalog.StoredLogLine;

/** Stores run events as their kind and a JSON payload, and log lines in columns of their own; and reads them back. */
final class RunEventCodec {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private RunEventCodec() {
    }

    static StoredEvent encode(RecordedEvent recorded) {
        try {
            return new StoredEvent(recorded.runId(), recorded.sequence(), recorded.time(),
                    recorded.event().getClass().getSimpleName(), JSON.writeValueAsString(recorded.event()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a run event always serializes", e);
        }
    }

    static RecordedEvent decode(StoredEvent stored) {
        Class<? extends RunEvent> type = switch (stored.kind()) {
            case "StateChanged" -> RunEvent.StateChanged.class;
            // Catalogs kept log lines as events before they had a table of their own.
            case "LogLine" -> RunEvent.LogLine.class;
            case "Summary" -> RunEvent.Summary.class;
            case "SchemaChanged" -> RunEvent.SchemaChanged.class;
            default -> throw new IllegalArgumentException("run event kind " + stored.kind() + " is never stored");
        };
        try {
            return new RecordedEvent(stored.runId(), stored.sequence(), stored.time(), JSON.readValue(stored.payload(), type));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored run event " + stored.runId() + "/" + stored.sequence() + " is unreadable", e);
        }
    }

    static StoredLogLine encodeLine(RecordedEvent recorded, RunEvent.LogLine line) {
        return new StoredLogLine(recorded.runId(), recorded.sequence(), recorded.time(), line.level().name(), line.logger(),
                line.message());
    }

    static RecordedEvent decodeLine(StoredLogLine stored) {
        return new RecordedEvent(stored.runId(), stored.sequence(), stored.time(),
                new RunEvent.LogLine(RunEvent.LogLine.Level.valueOf(stored.level()), stored.logger(), stored.message()));
    }

    /**
     * Whether the event is stored among the run's events. Progress and snapshots are transient: the summary and the run
     * record keep what they tell. Log lines are stored apart, and only so many per run (see {@link RunLogLines}).
     */
    static boolean stored(RunEvent event) {
        return switch (event) {
            case RunEvent.StateChanged ignored -> true;
            case RunEvent.LogLine ignored -> false;
            case RunEvent.Summary ignored -> true;
            case RunEvent.SchemaChanged ignored -> true;
            case RunEvent.TableProgress ignored -> false;
            case RunEvent.Snapshot ignored -> false;
        };
    }
}
