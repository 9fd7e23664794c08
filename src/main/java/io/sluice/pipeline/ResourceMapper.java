package io.sluice.pipeline;

import io.sluice.proto.v1.Resource;
import io.sluice.schema.ColumnHint;
import io.sluice.schema.ContractMode;
import io.sluice.schema.Detection;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.Naming;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.SchemaContract;
import io.sluice.schema.TableHints;
import io.sluice.schema.WriteDisposition;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        List<Optional<ColumnHint>> columns = ColumnHintMapper.map(resource.getColumnsList(), at, problems, checks);
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
