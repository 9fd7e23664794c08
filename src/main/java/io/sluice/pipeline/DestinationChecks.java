package io.sluice.pipeline;

import io.sluice.schema.DataType;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.WriteDisposition;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks what a spec asks of its destination against the {@link DestinationCapabilities} of the destination it
 * names, adding a problem at the field's path for anything that destination cannot do. Without a destination (its
 * absence is a problem of its own) nothing is checked.
 */
final class DestinationChecks {
    private final Optional<DestinationCapabilities> capabilities;
    private final SpecProblems problems;

    DestinationChecks(Optional<DestinationCapabilities> capabilities, SpecProblems problems) {
        this.capabilities = capabilities;
        this.problems = problems;
    }

    /** The capabilities of the destination kind {@code destination} names; empty when it names none. */
    static Optional<DestinationCapabilities> of(io.sluice.proto.v1.Destination destination) {
        return switch (destination.getKindCase()) {
            case DUCKDB -> Optional.of(DuckDbDestinationSpec.CAPABILITIES);
            case POSTGRES -> Optional.of(PostgresDestinationSpec.CAPABILITIES);
            case KIND_NOT_SET -> Optional.empty();
        };
    }

    void writeDisposition(String field, WriteDisposition disposition) {
        check(field, "write_disposition", disposition, DestinationCapabilities::writeDispositions, "loads");
    }

    /** Only where the destination replaces at all: one that does not is told once, at the write disposition. */
    void replaceStrategy(String field, ReplaceStrategy strategy) {
        if (takes(WriteDisposition.REPLACE)) {
            check(field, "replace_strategy", strategy, DestinationCapabilities::replaceStrategies, "replaces with");
        }
    }

    /** Only where the destination merges at all: one that does not is told once, at the write disposition. */
    void mergeStrategy(String field, MergeStrategy strategy) {
        if (takes(WriteDisposition.MERGE)) {
            check(field, "merge_strategy", DestinationCapabilities.MergeKind.of(strategy), DestinationCapabilities::mergeStrategies,
                    "merges with");
        }
    }

    void dataType(String field, DataType type) {
        check(field, "data_type", type, DestinationCapabilities::dataTypes, "stores");
    }

    /** The most digits a DECIMAL column may have; empty without a destination. */
    OptionalInt maxDecimalPrecision() {
        return capabilities.map(declared -> OptionalInt.of(declared.maxDecimalPrecision())).orElse(OptionalInt.empty());
    }

    /**
     * A name Sluice uses as it is (a dataset, a column SCD2 adds): refused when longer than the destination takes.
     *
     * @param shown how the problem names it
     */
    void identifierLength(String field, String name, String shown) {
        capabilities.filter(declared -> name.getBytes(StandardCharsets.UTF_8).length > declared.maxIdentifierLength())
                .ifPresent(declared -> problems.invalid(field, shown + " is longer than the " + declared.maxIdentifierLength()
                        + " bytes " + declared.name() + " takes in a name"));
    }

    /**
     * A dataset, which is a schema in the destination: refused when it starts with a prefix the destination keeps
     * for itself.
     *
     * @param shown how the problem names the dataset
     */
    void schemaName(String field, String dataset, String shown) {
        capabilities.ifPresent(declared -> declared.reservedSchemaPrefix().filter(dataset::startsWith)
                .ifPresent(prefix -> problems.invalid(field, shown + ": " + declared.name()
                        + " reserves schema names starting with " + prefix)));
    }

    private boolean takes(WriteDisposition disposition) {
        return capabilities.filter(declared -> declared.writeDispositions().contains(disposition)).isPresent();
    }

    private <T extends Enum<T>> void check(String field, String setting, T asked,
                                           Function<DestinationCapabilities, Set<T>> offered, String verb) {
        capabilities.filter(declared -> !offered.apply(declared).contains(asked))
                .ifPresent(declared -> problems.invalid(field, declared.name() + " does not take " + setting + " " + asked.name()
                        + "; it " + verb + " " + names(offered.apply(declared))));
    }

    private static String names(Collection<? extends Enum<?>> values) {
        return values.stream().sorted((left, right) -> Integer.compare(left.ordinal(), right.ordinal()))
                .map(Enum::name).collect(Collectors.joining(", "));
    }
}
