package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * How a resource loads incrementally: the items whose cursor value is in the window from the last value a run
 * committed (or {@code initialValue}), less {@code lag}, up to {@code endValue} (exclusive).
 *
 * @param cursorPath the keys leading to the cursor value in an item, e.g. {@code [meta, updated]}
 * @param rowOrder the order the source yields items in by the cursor, when it does
 */
public record IncrementalSpec(List<String> cursorPath, Optional<CursorValue> initialValue, Optional<CursorValue> endValue,
                              Optional<Lag> lag, LastValueFunction lastValueFunction, Optional<RowOrder> rowOrder) {
    public IncrementalSpec {
        cursorPath = List.copyOf(cursorPath);
        if (cursorPath.isEmpty()) {
            throw new IllegalArgumentException("cursorPath is empty");
        }
        requireNonNull(initialValue, "initialValue is null");
        requireNonNull(endValue, "endValue is null");
        requireNonNull(lag, "lag is null");
        requireNonNull(lastValueFunction, "lastValueFunction is null");
        requireNonNull(rowOrder, "rowOrder is null");
    }

    /** The cursor path as the spec writes it, e.g. {@code meta.updated}. */
    public String cursorName() {
        return String.join(".", cursorPath);
    }

    /** Which way the cursor moves from run to run. */
    public enum LastValueFunction {
        /** Up: the window starts at the largest value loaded. */
        MAX,
        /** Down: the window starts at the smallest value loaded. */
        MIN;

        /** Whether {@code candidate} is past {@code current} in this direction (it would become the last value). */
        public boolean isPast(CursorValue candidate, CursorValue current) {
            int order = candidate.compareTo(current);
            return this == MAX ? order > 0 : order < 0;
        }
    }

    public enum RowOrder {
        ASC,
        DESC
    }
}
