package io.sluice.runs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.catalog.StoredEvent;

/** Stores run events as their kind and a JSON payload, and reads them back. */
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

    /** Progress and snapshots are transient: the summary and the run record keep what they tell. */
    static boolean stored(RunEvent event) {
        return switch (event) {
            case RunEvent.StateChanged ignored -> true;
            case RunEvent.LogLine ignored -> true;
            case RunEvent.Summary ignored -> true;
            case RunEvent.SchemaChanged ignored -> true;
            case RunEvent.TableProgress ignored -> false;
            case RunEvent.Snapshot ignored -> false;
        };
    }
}
