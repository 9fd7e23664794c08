package io.sluice.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * What a source remembers about one resource between runs, as a JSON object: a page token, the last file it read,
 * whatever lets its next run ask for less. It is committed with the data the run loads, in the same transaction, so
 * a run whose load fails leaves it as it was; a refresh that resets the resource forgets it.
 */
public final class SourceState {
    private final ObjectNode stored;
    private ObjectNode current;

    /** @param stored what the last committed run left, if anything */
    public SourceState(Optional<JsonNode> stored) {
        this.stored = stored.filter(JsonNode::isObject).map(node -> ((ObjectNode) node).deepCopy())
                .orElseGet(JsonNodeFactory.instance::objectNode);
        this.current = this.stored.deepCopy();
    }

    /** The state as the source last wrote it in this run, or as stored; a copy the source may change. */
    public synchronized ObjectNode read() {
        return current.deepCopy();
    }

    /** Replaces the state; it is committed with this run's load. */
    public synchronized void write(ObjectNode state) {
        current = state.deepCopy();
    }

    /** The state to commit, when the source changed it. */
    public synchronized Optional<JsonNode> changed() {
        return current.equals(stored) ? Optional.empty() : Optional.of(current.deepCopy());
    }
}
