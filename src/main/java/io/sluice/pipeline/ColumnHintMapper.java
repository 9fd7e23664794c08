package io.sluice.pipeline;

import io.sluice.schema.ColumnHint;
import io.sluice.schema.DataType;
import io.sluice.schema.SortOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Maps a resource's declared columns ({@code columns: [{name, data_type, …}]}) to column hints, checking each field. */
final class ColumnHintMapper {
    private final SpecProblems problems;
    private final DestinationChecks checks;

    private ColumnHintMapper(SpecProblems problems, DestinationChecks checks) {
        this.problems = problems;
        this.checks = checks;
    }

    /**
     * @param at the resource's field path
     * @return per declared column, its hint, or empty where a problem (with the column's path) refused it
     */
    static List<Optional<ColumnHint>> map(List<io.sluice.proto.v1.ColumnHint> declaredColumns, String at, SpecProblems problems,
                                          DestinationChecks checks) {
        return new ColumnHintMapper(problems, checks).columns(declaredColumns, at);
    }

    private List<Optional<ColumnHint>> columns(List<io.sluice.proto.v1.ColumnHint> declaredColumns, String at) {
        Set<String> declared = new HashSet<>();
        List<Optional<ColumnHint>> columns = new ArrayList<>();
        for (int i = 0; i < declaredColumns.size(); i++) {
            io.sluice.proto.v1.ColumnHint column = declaredColumns.get(i);
            String columnAt = at + ".columns[" + i + "]";
            int mark = problems.mark();
            if (column.getName().isEmpty()) {
                problems.invalid(columnAt + ".name", "required");
            } else if (!declared.add(column.getName())) {
                problems.invalid(columnAt + ".name", "column '" + column.getName() + "' is declared twice");
            }
            if ((column.getPrecision() != 0 || column.getScale() != 0) && column.getDataType() != io.sluice.proto.v1.DataType.DECIMAL) {
                problems.invalid(columnAt + ".precision", "precision and scale apply to DECIMAL columns only");
            }
            OptionalInt most = checks.maxDecimalPrecision();
            if (column.getScale() < 0 || column.getPrecision() < 0 || (most.isPresent() && column.getPrecision() > most.getAsInt())
                    || (column.getPrecision() > 0 && column.getScale() > column.getPrecision())) {
                problems.invalid(columnAt + ".scale", "need 0 <= scale <= precision" + (most.isPresent() ? " <= " + most.getAsInt() : ""));
            }
            Optional<DataType> type = dataType(column, columnAt + ".data_type");
            Optional<SortOrder> dedupSort = dedupSort(column, columnAt + ".dedup_sort");
            columns.add(problems.buildIfClean(mark, () -> new ColumnHint(
                    column.getName(),
                    type,
                    column.hasNullable() ? Optional.of(column.getNullable()) : Optional.empty(),
                    column.getUnique(),
                    column.getPrecision(),
                    column.getScale(),
                    column.getPartition(),
                    column.getHardDelete(),
                    dedupSort)));
        }
        return columns;
    }

    /** The declared type; empty when the column leaves it to inference (or it is refused: then a problem says so). */
    private Optional<DataType> dataType(io.sluice.proto.v1.ColumnHint column, String field) {
        Optional<DataType> type = switch (column.getDataType()) {
            case DATA_TYPE_UNSPECIFIED -> Optional.empty();
            case BOOL -> Optional.of(DataType.BOOL);
            case BIGINT -> Optional.of(DataType.BIGINT);
            case DOUBLE -> Optional.of(DataType.DOUBLE);
            case DECIMAL -> Optional.of(DataType.DECIMAL);
            case TEXT -> Optional.of(DataType.TEXT);
            case TIMESTAMP -> Optional.of(DataType.TIMESTAMP);
            case DATE -> Optional.of(DataType.DATE);
            case TIME -> Optional.of(DataType.TIME);
            case JSON -> Optional.of(DataType.JSON);
            case BINARY -> Optional.of(DataType.BINARY);
            case UNRECOGNIZED -> problems.unrecognized(field, column.getDataTypeValue(), io.sluice.proto.v1.DataType.getDescriptor());
        };
        type.ifPresent(value -> checks.dataType(field, value));
        return type;
    }

    /** Empty when rows are not de-duplicated by this column (or it is refused: then a problem says so). */
    private Optional<SortOrder> dedupSort(io.sluice.proto.v1.ColumnHint column, String field) {
        return switch (column.getDedupSort()) {
            case SORT_ORDER_UNSPECIFIED -> Optional.empty();
            case ASC -> Optional.of(SortOrder.ASCENDING);
            case DESC -> Optional.of(SortOrder.DESCENDING);
            case UNRECOGNIZED -> problems.unrecognized(field, column.getDedupSortValue(), io.sluice.proto.v1.SortOrder.getDescriptor());
        };
    }
}
