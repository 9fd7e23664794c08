package io.sluice.source;

import static java.util.Objects.requireNonNull;

import io.sluice.pipeline.CursorValue;
import io.sluice.pipeline.IncrementalSpec.LastValueFunction;
import java.util.List;
import java.util.Optional;

/**
 * The items a run of an incremental resource wants: cursor values from {@code start} (inclusive) to {@code end}
 * (exclusive), upwards with MAX, downwards with MIN. A source may push it down (a REST query parameter, an SQL
 * {@code WHERE}) to read less; the engine filters every item against it anyway, so a source need not.
 *
 * @param cursorPath the keys leading to the cursor value in an item
 * @param start where the window starts, from the stored cursor (less its lag) or the initial value; empty: from the
 *              first item
 */
public record IncrementalWindow(List<String> cursorPath, Optional<CursorValue> start, Optional<CursorValue> end,
                                LastValueFunction lastValueFunction) {
    public IncrementalWindow {
        cursorPath = List.copyOf(cursorPath);
        requireNonNull(start, "start is null");
        requireNonNull(end, "end is null");
        requireNonNull(lastValueFunction, "lastValueFunction is null");
    }

    /** Where {@code value} is relative to the window. */
    Position position(CursorValue value) {
        int sign = lastValueFunction == LastValueFunction.MAX ? 1 : -1;
        if (start.isPresent() && sign * value.compareTo(start.get()) < 0) {
            return Position.BEFORE;
        }
        if (end.isPresent() && sign * value.compareTo(end.get()) >= 0) {
            return Position.PAST;
        }
        return Position.INSIDE;
    }

    enum Position {
        /** Before the start: loaded by an earlier run. */
        BEFORE,
        INSIDE,
        /** At or past the end: left for a later run. */
        PAST
    }
}
