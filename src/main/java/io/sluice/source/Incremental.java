package io.sluice.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.pipeline.CursorValue;
import io.sluice.pipeline.IncrementalSpec;
import io.sluice.pipeline.IncrementalSpec.LastValueFunction;
import io.sluice.pipeline.IncrementalSpec.RowOrder;
import io.sluice.pipeline.PipelineState;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One run of an incremental resource: the window it reads, taken from the stored cursor (or the spec's initial
 * value), the filter every item passes on its way to normalizing, and the cursor the run leaves behind.
 *
 * <p>An item passes when its cursor value is inside the window and it is not one of the items loaded before with
 * the cursor at exactly the stored last value (the window's start is inclusive, so those come again). Items outside
 * are counted; an item without a usable cursor value is a bad record, rejected by name. A backfill (an end value)
 * reads from the initial value and leaves the stored cursor as it was. Not thread-safe: one per resource and run.
 */
public final class Incremental {
    private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    private static final int KEY_BYTES = 12;

    private final IncrementalSpec spec;
    private final List<String> primaryKey;
    /** The stored cursor this run continues from; empty on a first run, a backfill, or after the cursor path changed. */
    private final Optional<PipelineState.Cursor> continued;
    private final Optional<PipelineState.Cursor> stored;
    private final IncrementalWindow window;
    private final Set<String> loadedAtBoundary;
    private CursorValue last;
    /**
     * What identifies each item seen at {@link #last}: its primary key values, or the item itself. Digested only when
     * the cursor is stored, because with items in cursor order nearly every item is the last for a moment.
     */
    private final List<Object> atLast = new ArrayList<>();
    private long filtered;
    private long duplicates;

    /**
     * @param primaryKey the item keys that identify an item; empty: an item is identified by all of its content
     * @param stored the resource's cursor as the destination holds it
     */
    public Incremental(IncrementalSpec spec, List<String> primaryKey, Optional<PipelineState.Cursor> stored) {
        this.spec = spec;
        this.primaryKey = List.copyOf(primaryKey);
        this.stored = stored;
        this.continued = spec.endValue().isPresent() ? Optional.empty()
                : stored.filter(cursor -> cursor.cursorPath().equals(spec.cursorName()));
        Optional<CursorValue> start;
        try {
            start = continued
                    .map(cursor -> spec.lag().map(lag -> cursor.lastValue().shifted(lag, direction())).orElse(cursor.lastValue()))
                    .or(spec::initialValue);
        } catch (IllegalArgumentException e) {
            // The spec's lag was changed to another kind than the stored cursor's.
            throw new SourceException("incremental cursor '" + spec.cursorName() + "': " + e.getMessage());
        }
        this.window = new IncrementalWindow(spec.cursorPath(), start, spec.endValue(), spec.lastValueFunction());
        this.loadedAtBoundary = new HashSet<>(continued.map(PipelineState.Cursor::boundaryKeys).orElse(List.of()));
    }

    public IncrementalWindow window() {
        return window;
    }

    /** Items outside the window, or loaded before at its boundary: counted, never loaded. */
    public long filtered() {
        return filtered + duplicates;
    }

    /** Of {@link #filtered()}, the items loaded before with the cursor at the stored last value. */
    public long duplicates() {
        return duplicates;
    }

    /**
     * The cursor to store once this run's load commits: the largest (MAX) or smallest (MIN) value loaded, with the
     * items loaded at it; the stored one when nothing moved it (or for a backfill).
     */
    public Optional<PipelineState.Cursor> cursor() {
        if (last == null || spec.endValue().isPresent()) {
            return stored;
        }
        if (continued.isPresent()) {
            CursorValue storedLast = continued.get().lastValue();
            if (last.compareTo(storedLast) == 0) {
                Set<String> keys = new LinkedHashSet<>(continued.get().boundaryKeys());
                atLast.forEach(identity -> keys.add(digest(identity)));
                return Optional.of(new PipelineState.Cursor(spec.cursorName(), last, new ArrayList<>(keys)));
            }
            if (!spec.lastValueFunction().isPast(last, storedLast)) {
                // With a lag the window reaches behind the stored value; the cursor itself never moves back.
                return continued;
            }
        }
        return Optional.of(new PipelineState.Cursor(spec.cursorName(), last,
                atLast.stream().map(Incremental::digest).distinct().toList()));
    }

    /** A sink that lets the window's items through to {@code downstream}. */
    public ItemSink filter(ItemSink downstream) {
        return ItemSink.withItems(downstream, (item, origin) -> accept(item, origin, downstream));
    }

    private boolean accept(Map<String, Object> item, Supplier<String> origin, ItemSink downstream) {
        Object raw = valueAt(item);
        Optional<CursorValue> value = CursorValue.of(raw);
        if (value.isEmpty()) {
            downstream.rejected(origin, raw == null ? "no incremental cursor value at '" + spec.cursorName() + "'"
                    : "the incremental cursor '" + spec.cursorName() + "' is " + describe(raw) + ", not a number, timestamp,"
                            + " date or text");
            return true;
        }
        CursorValue cursor = value.get();
        try {
            switch (window.position(cursor)) {
                case BEFORE -> {
                    filtered++;
                    return !stopsAt(IncrementalWindow.Position.BEFORE);
                }
                case PAST -> {
                    filtered++;
                    return !stopsAt(IncrementalWindow.Position.PAST);
                }
                case INSIDE -> {
                }
            }
            if (!loadedAtBoundary.isEmpty() && cursor.compareTo(continued.orElseThrow().lastValue()) == 0
                    && loadedAtBoundary.contains(digest(identity(item)))) {
                duplicates++;
                return true;
            }
            track(cursor, item);
        } catch (IllegalArgumentException e) {
            downstream.rejected(origin, "incremental cursor '" + spec.cursorName() + "': " + e.getMessage());
            return true;
        }
        return downstream.item(item, origin);
    }

    private void track(CursorValue cursor, Map<String, Object> item) {
        if (last == null || spec.lastValueFunction().isPast(cursor, last)) {
            last = cursor;
            atLast.clear();
        }
        if (cursor.compareTo(last) == 0) {
            atLast.add(identity(item));
        }
    }

    /**
     * Whether items in the source's row order never come back into the window once one is {@code position}: in the
     * cursor's own direction the window is left past its end, against it before its start.
     */
    private boolean stopsAt(IncrementalWindow.Position position) {
        if (spec.rowOrder().isEmpty()) {
            return false;
        }
        boolean withCursor = (spec.rowOrder().get() == RowOrder.ASC) == (spec.lastValueFunction() == LastValueFunction.MAX);
        return withCursor ? position == IncrementalWindow.Position.PAST : position == IncrementalWindow.Position.BEFORE;
    }

    private int direction() {
        return spec.lastValueFunction() == LastValueFunction.MAX ? -1 : 1;
    }

    private Object valueAt(Map<String, Object> item) {
        Object value = item;
        for (String key : spec.cursorPath()) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(key);
        }
        return value;
    }

    /** The item's primary key values, or all of it when it has none. */
    private Object identity(Map<String, Object> item) {
        return !primaryKey.isEmpty() && item.keySet().containsAll(primaryKey) ? primaryKey.stream().map(item::get).toList() : item;
    }

    private static String digest(Object identity) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(identity));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, KEY_BYTES));
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot digest an item", e);
        }
    }

    private static String describe(Object value) {
        return switch (value) {
            case Boolean ignored -> "a boolean";
            case Map<?, ?> ignored -> "an object";
            case List<?> ignored -> "a list";
            default -> "'" + value + "'";
        };
    }
}
