package io.sluice.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a pipeline remembers between runs, per resource: its incremental cursor, and what its source keeps about it
 * (a JSON object the source reads and writes). Stored in the destination and committed in the same transaction as
 * the data it describes, so the two never disagree.
 */
public record PipelineState(Map<String, Cursor> cursors, Map<String, JsonNode> sourceStates) {
    public static final PipelineState EMPTY = new PipelineState(Map.of(), Map.of());

    /** A state stored before source states existed reads with none. */
    public PipelineState {
        // Sorted: equal states have equal JSON.
        cursors = Collections.unmodifiableSortedMap(new TreeMap<>(cursors == null ? Map.of() : cursors));
        sourceStates = Collections.unmodifiableSortedMap(new TreeMap<>(sourceStates == null ? Map.of() : sourceStates));
    }

    /**
     * Where one resource's cursor stands.
     *
     * @param boundaryKeys digests of the items loaded with the cursor at exactly {@code lastValue}: a later run skips
     *                     those items, so an inclusive window start loads nothing twice
     */
    public record Cursor(String cursorPath, CursorValue lastValue, List<String> boundaryKeys) {
        public Cursor {
            requireNonNull(cursorPath, "cursorPath is null");
            requireNonNull(lastValue, "lastValue is null");
            boundaryKeys = List.copyOf(boundaryKeys);
        }
    }

    public Optional<Cursor> cursor(String resource) {
        return Optional.ofNullable(cursors.get(resource));
    }

    /** This state with {@code resource}'s cursor set, or removed when empty. */
    public PipelineState with(String resource, Optional<Cursor> cursor) {
        Map<String, Cursor> changed = new TreeMap<>(cursors);
        cursor.ifPresentOrElse(value -> changed.put(resource, value), () -> changed.remove(resource));
        return new PipelineState(changed, sourceStates);
    }

    /** What the source keeps about {@code resource}. */
    public Optional<JsonNode> sourceState(String resource) {
        return Optional.ofNullable(sourceStates.get(resource));
    }

    /** This state with what the source keeps about {@code resource} set, or removed when empty. */
    public PipelineState withSourceState(String resource, Optional<JsonNode> state) {
        Map<String, JsonNode> changed = new TreeMap<>(sourceStates);
        state.ifPresentOrElse(value -> changed.put(resource, value), () -> changed.remove(resource));
        return new PipelineState(cursors, changed);
    }

    /** This state with nothing of {@code resource}: neither its cursor nor its source's state. */
    public PipelineState forget(String resource) {
        return with(resource, Optional.empty()).withSourceState(resource, Optional.empty());
    }
}
