package io.sluice.source.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.pipeline.CursorValue;
import io.sluice.pipeline.IncrementalSpec;
import io.sluice.source.SourceState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How far a child of an incremental parent has read: the last cursor value of the parent items whose children it read,
 * kept in the child's source state, so that its next run asks the parent from there only and reads the children of
 * the parents that changed since, not those of every parent. Parents at that very value are read again (the bound is
 * inclusive, as the engine's window is): a parent changed later within the same cursor value is not missed, and a
 * child with a primary key and merge folds the children read twice.
 */
final class ParentCursor {
    private static final String PARENT_CURSOR = "parent_cursor";

    private final SourceState state;
    private final IncrementalSpec parent;
    private final Optional<CursorValue> start;
    private Optional<CursorValue> last;

    /** @param parent the parent's incremental spec */
    ParentCursor(SourceState state, IncrementalSpec parent) {
        this.state = state;
        this.parent = parent;
        Optional<CursorValue> stored = Optional.ofNullable(state.read().get(PARENT_CURSOR))
                .filter(node -> !node.isNull())
                .map(node -> CursorValue.parse(node.asText()))
                .filter(value -> parent.initialValue().map(value::comparesWith).orElse(true));
        this.start = stored.or(parent::initialValue);
        this.last = stored;
    }

    /** The value of the parent's {@code {incremental.start_value}}: where the child stopped, or the parent's initial value. */
    Optional<String> startValue() {
        return start.map(Object::toString);
    }

    /** Whether the children of {@code parentItem} are to be read: its cursor is not before the start (or it has none). */
    boolean wanted(Map<String, Object> parentItem) {
        Optional<CursorValue> value = cursor(parentItem);
        return value.isEmpty() || start.isEmpty() || !value.get().comparesWith(start.get())
                || !parent.lastValueFunction().isPast(start.get(), value.get());
    }

    /** The children of {@code parentItem} were handed on. */
    void read(Map<String, Object> parentItem) {
        cursor(parentItem).filter(value -> last.isEmpty() || value.comparesWith(last.get()) && parent.lastValueFunction().isPast(value, last.get()))
                .ifPresent(value -> last = Optional.of(value));
    }

    /** Every parent was walked: the next run starts at the last cursor value read. */
    void finished() {
        last.ifPresent(value -> {
            ObjectNode kept = state.read();
            kept.put(PARENT_CURSOR, value.toString());
            state.write(kept);
        });
    }

    private Optional<CursorValue> cursor(Map<String, Object> item) {
        Object value = item;
        List<String> path = parent.cursorPath();
        for (String key : path) {
            if (!(value instanceof Map<?, ?> map)) {
                return Optional.empty();
            }
            value = map.get(key);
        }
        return CursorValue.of(value);
    }
}
