package io.sluice.pipeline;

import io.sluice.proto.v1.Resource;
import io.sluice.schema.ColumnHint;
import io.sluice.schema.ContractMode;
import io.sluice.schema.DataType;
import io.sluice.schema.Detection;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.Naming;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.SchemaContract;
import io.sluice.schema.SortOrder;
import io.sluice.schema.TableHints;
import io.sluice.schema.WriteDisposition;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Maps what every source kind's resources share (table, hints, incremental), checking each field it reads; the mapper
 * of each source kind reads its own fields besides.
 */
final class ResourceMapper {
    private final Resource resource;
    private final String at;
    private final SpecProblems problems;
    private final DestinationChecks checks;

    private ResourceMapper(Resource resource, String at, SpecProblems problems, DestinationChecks checks) {
        this.resource = resource;
        this.at = at;
        this.problems = problems;
        this.checks = checks;
    }

    /**
     * What every kind of resource has: its name, table, hints and incremental loading.
     *
     * @param tableName already in the naming convention
     */
    record Common(String name, String tableName, TableHints hints, Optional<IncrementalSpec> incremental) {
    }

    /** The parts of a resource every source kind reads; the caller checks the fields of its own kind. */
    static Optional<Common> common(Resource resource, String at, Map<String, String> tables, SpecProblems problems,
                                   DestinationChecks checks) {
        return new ResourceMapper(resource, at, problems, checks).common(tables);
    }

    private Optional<Common> common(Map<String, String> tables) {
        int mark = problems.mark();
        Optional<String> table = table(tables);
        Optional<WriteDisposition> disposition = writeDisposition();
        Optional<MergeStrategy> mergeStrategy = MergeMapper.map(resource, at, problems, checks);
        Optional<ReplaceStrategy> replaceStrategy = replaceStrategy();
        Optional<IncrementalSpec> incremental = resource.hasIncremental()
                ? IncrementalMapper.map(resource.getIncremental(), at + ".incremental", disposition, problems) : Optional.empty();
        if (resource.getMaxNestingDepth() < 0) {
            problems.invalid(at + ".max_nesting_depth", "must not be negative");
        }
        keys(at + ".primary_key", resource.getPrimaryKeyList());
        keys(at + ".merge_key", resource.getMergeKeyList());
        List<Optional<ColumnHint>> columns = columns();
        Set<Detection> detections = detections();
        Optional<SchemaContract> contract = contract();
        return problems.buildIfClean(mark, () -> new Common(
                resource.getName(),
                table.orElseThrow(),
                new TableHints(
                        disposition.orElseThrow(),
                        resource.getPrimaryKeyList(),
                        resource.getMergeKeyList(),
                        columns.stream().map(Optional::orElseThrow).toList(),
                        resource.hasMaxNestingDepth() ? resource.getMaxNestingDepth() : TableHints.DEFAULT_NESTING_DEPTH,
                        contract.orElseThrow(),
                        detections,
                        replaceStrategy.orElseThrow(),
                        mergeStrategy.orElseThrow()),
                incremental));
    }

    /** The table the resource loads into: {@code table_name}, or else its name, in the naming convention. */
    private Optional<String> table(Map<String, String> tables) {
        if (resource.getName().isEmpty()) {
            problems.invalid(at + ".name", "required");
            return Optional.empty();
        }
        String table = Naming.snakeCase(resource.getTableName().isEmpty() ? resource.getName() : resource.getTableName());
        String other = tables.putIfAbsent(table, resource.getName());
        if (other != null) {
            problems.invalid(at + ".name", "resources '" + other + "' and '" + resource.getName()
                    + "' both load into table '" + table + "'");
            return Optional.empty();
        }
        return Optional.of(table);
    }

    private Optional<WriteDisposition> writeDisposition() {
        Optional<WriteDisposition> disposition = switch (resource.getWriteDisposition()) {
            case WRITE_DISPOSITION_UNSPECIFIED, APPEND -> Optional.of(WriteDisposition.APPEND);
            case REPLACE -> Optional.of(WriteDisposition.REPLACE);
            case MERGE -> Optional.of(WriteDisposition.MERGE);
            case UNRECOGNIZED -> problems.unrecognized(at + ".write_disposition", resource.getWriteDispositionValue(),
                    io.sluice.proto.v1.WriteDisposition.getDescriptor());
        };
        disposition.ifPresent(value -> checks.writeDisposition(at + ".write_disposition", value));
        return disposition;
    }

    private Optional<ReplaceStrategy> replaceStrategy() {
        if (resource.getReplaceStrategyValue() != 0 && resource.getWriteDisposition() != io.sluice.proto.v1.WriteDisposition.REPLACE) {
            problems.invalid(at + ".replace_strategy", "applies only with write_disposition REPLACE");
            return Optional.empty();
        }
        Optional<ReplaceStrategy> strategy = switch (resource.getReplaceStrategy()) {
            case REPLACE_STRATEGY_UNSPECIFIED, TRUNCATE_AND_INSERT -> Optional.of(ReplaceStrategy.TRUNCATE_AND_INSERT);
            case INSERT_FROM_STAGING -> Optional.of(ReplaceStrategy.INSERT_FROM_STAGING);
            case STAGING_OPTIMIZED -> Optional.of(ReplaceStrategy.STAGING_OPTIMIZED);
            case UNRECOGNIZED -> problems.unrecognized(at + ".replace_strategy", resource.getReplaceStrategyValue(),
                    io.sluice.proto.v1.ReplaceStrategy.getDescriptor());
        };
        if (resource.getWriteDisposition() == io.sluice.proto.v1.WriteDisposition.REPLACE) {
            strategy.ifPresent(value -> checks.replaceStrategy(at + ".replace_strategy", value));
        }
        return strategy;
    }

    private void keys(String field, List<String> names) {
        keys(field, names, problems);
    }

    /** Each name in a list of field names names a field. */
    static void keys(String field, List<String> names, SpecProblems problems) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isBlank()) {
                problems.invalid(field + "[" + i + "]", "must name a field");
            }
        }
    }

    private List<Optional<ColumnHint>> columns() {
        Set<String> declared = new HashSet<>();
        List<Optional<ColumnHint>> columns = new ArrayList<>();
        for (int i = 0; i < resource.getColumnsCount(); i++) {
            io.sluice.proto.v1.ColumnHint column = resource.getColumns(i);
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

    /** The types text values are detected as: the default when none are listed, none with NO_DETECTION. */
    private Set<Detection> detections() {
        if (resource.getDetectList().contains(Resource.Detection.NO_DETECTION) && resource.getDetectCount() > 1) {
            problems.invalid(at + ".detect", "NO_DETECTION cannot be combined with other detections");
        }
        if (resource.getDetectCount() == 0) {
            return TableHints.DEFAULT.detections();
        }
        Set<Detection> detections = EnumSet.noneOf(Detection.class);
        for (int i = 0; i < resource.getDetectCount(); i++) {
            switch (resource.getDetect(i)) {
                case ISO_TIMESTAMP -> detections.add(Detection.ISO_TIMESTAMP);
                case ISO_DATE -> detections.add(Detection.ISO_DATE);
                case ISO_TIME -> detections.add(Detection.ISO_TIME);
                case NO_DETECTION, DETECTION_UNSPECIFIED -> {
                }
                case UNRECOGNIZED -> problems.unrecognized(at + ".detect[" + i + "]", resource.getDetectValue(i),
                        Resource.Detection.getDescriptor());
            }
        }
        return detections;
    }

    private Optional<SchemaContract> contract() {
        int mark = problems.mark();
        io.sluice.proto.v1.SchemaContract contract = resource.getSchemaContract();
        String field = at + ".schema_contract";
        Optional<ContractMode> tables = mode(contract.getTables(), contract.getTablesValue(), field + ".tables");
        Optional<ContractMode> columns = mode(contract.getColumns(), contract.getColumnsValue(), field + ".columns");
        Optional<ContractMode> dataType = mode(contract.getDataType(), contract.getDataTypeValue(), field + ".data_type");
        return problems.buildIfClean(mark, () -> new SchemaContract(tables.orElseThrow(), columns.orElseThrow(), dataType.orElseThrow()));
    }

    private Optional<ContractMode> mode(io.sluice.proto.v1.ContractMode mode, int number, String field) {
        return switch (mode) {
            case CONTRACT_MODE_UNSPECIFIED, EVOLVE -> Optional.of(ContractMode.EVOLVE);
            case FREEZE -> Optional.of(ContractMode.FREEZE);
            case DISCARD_ROW -> Optional.of(ContractMode.DISCARD_ROW);
            case DISCARD_VALUE -> Optional.of(ContractMode.DISCARD_VALUE);
            case UNRECOGNIZED -> problems.unrecognized(field, number, io.sluice.proto.v1.ContractMode.getDescriptor());
        };
    }

    /** A field of another kind of source is refused, not ignored. */
    static void notFor(String field, boolean present, String sourceKind, SpecProblems problems) {
        if (present) {
            problems.invalid(field, "applies only to " + sourceKind + " sources");
        }
    }
}
