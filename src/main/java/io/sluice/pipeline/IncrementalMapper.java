package io.sluice.pipeline;

import io.sluice.proto.v1.Incremental;
import io.sluice.schema.WriteDisposition;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Maps a resource's {@code incremental} to its {@link IncrementalSpec}: the cursor, the backfill window and the lag. */
final class IncrementalMapper {
    private IncrementalMapper() {
    }

    /**
     * @param disposition the resource's write disposition, empty when it was refused
     */
    static Optional<IncrementalSpec> map(Incremental incremental, String at, Optional<WriteDisposition> disposition,
                                         SpecProblems problems) {
        int mark = problems.mark();
        if (disposition.equals(Optional.of(WriteDisposition.REPLACE))) {
            problems.invalid(at, "with write_disposition REPLACE each run would keep only its new items; use APPEND or MERGE");
        }
        String cursorPath = incremental.getCursorPath();
        if (cursorPath.isEmpty()) {
            problems.invalid(at + ".cursor_path", "required, e.g. updated_at or meta.updated");
        } else if (Arrays.stream(cursorPath.split("\\.", -1)).anyMatch(String::isBlank)) {
            problems.invalid(at + ".cursor_path", "'" + cursorPath + "' must be item keys joined by dots, e.g. updated_at or meta.updated");
        }
        Optional<IncrementalSpec.LastValueFunction> lastValueFunction = switch (incremental.getLastValueFunction()) {
            case LAST_VALUE_FUNCTION_UNSPECIFIED, MAX -> Optional.of(IncrementalSpec.LastValueFunction.MAX);
            case MIN -> Optional.of(IncrementalSpec.LastValueFunction.MIN);
            case UNRECOGNIZED -> problems.unrecognized(at + ".last_value_function", incremental.getLastValueFunctionValue(),
                    Incremental.LastValueFunction.getDescriptor());
        };
        Optional<CursorValue> initial = PipelineSpecMapper.optional(incremental.getInitialValue()).map(CursorValue::parse);
        Optional<CursorValue> end = PipelineSpecMapper.optional(incremental.getEndValue()).map(CursorValue::parse);
        end.ifPresent(value -> window(at + ".end_value", initial, value,
                lastValueFunction.orElse(IncrementalSpec.LastValueFunction.MAX), problems));
        Optional<Lag> lag = PipelineSpecMapper.optional(incremental.getLag()).flatMap(text -> lag(at + ".lag", text, initial, problems));
        Optional<IncrementalSpec.RowOrder> rowOrder = switch (incremental.getRowOrder()) {
            case ROW_ORDER_UNSPECIFIED -> Optional.empty();
            case ASC -> Optional.of(IncrementalSpec.RowOrder.ASC);
            case DESC -> Optional.of(IncrementalSpec.RowOrder.DESC);
            case UNRECOGNIZED -> problems.unrecognized(at + ".row_order", incremental.getRowOrderValue(),
                    Incremental.RowOrder.getDescriptor());
        };
        return problems.buildIfClean(mark, () -> new IncrementalSpec(List.of(cursorPath.split("\\.")), initial, end, lag,
                lastValueFunction.orElseThrow(), rowOrder));
    }

    /** A backfill window runs from the initial value, in the direction the cursor moves, up to the end value. */
    private static void window(String field, Optional<CursorValue> initial, CursorValue end,
                               IncrementalSpec.LastValueFunction direction, SpecProblems problems) {
        boolean downwards = direction == IncrementalSpec.LastValueFunction.MIN;
        if (initial.isEmpty()) {
            problems.invalid(field, "needs initial_value: a backfill window runs from one to the other");
        } else if (!end.comparesWith(initial.get())) {
            problems.invalid(field, "'" + end + "' is " + end.kind() + " but initial_value '" + initial.get() + "' is "
                    + initial.get().kind() + ": they do not compare");
        } else if (!direction.isPast(end, initial.get())) {
            problems.invalid(field, "'" + end + "' must be " + (downwards ? "below" : "above") + " initial_value '"
                    + initial.get() + "'" + (downwards ? " with last_value_function MIN" : ""));
        }
    }

    /** The lag, or empty when it is neither a number nor a duration, or does not fit the initial value (a problem says so). */
    private static Optional<Lag> lag(String field, String text, Optional<CursorValue> initial, SpecProblems problems) {
        try {
            Lag lag = Lag.parse(text);
            // Shifting the initial value is what a run does with it; a lag of the wrong kind fails here, not there.
            initial.ifPresent(value -> value.shifted(lag, -1));
            return Optional.of(lag);
        } catch (IllegalArgumentException e) {
            problems.invalid(field, e.getMessage());
            return Optional.empty();
        }
    }
}
