package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.DataType;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.Naming;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.WriteDisposition;
import java.util.Optional;
import java.util.Set;

/**
 * What one kind of destination can do, as data (dlt's {@code capabilities.py}): the spec mapper checks a spec against
 * the capabilities of the destination it names, the destinations of {@code io.sluice.load} return theirs, and the
 * destination conformance suite checks that each destination honours what it declares.
 *
 * <p>It lives here, beside {@link DestinationSpec}, because both sides must see it and {@code pipeline} imports only
 * {@code schema}: each kind's spec record holds its kind's value ({@link DestinationSpec#capabilities()}), so the
 * mapper can ask it without knowing the loaders, and a loader returns the value of its kind.
 *
 * @param name the destination's name in messages
 * @param writeDispositions the write dispositions it loads
 * @param mergeStrategies the merge strategies it merges with
 * @param replaceStrategies the replace strategies it replaces with
 * @param dataTypes the column types it stores (each as a type of its own, read back as the same type)
 * @param maxDecimalPrecision the most digits a declared DECIMAL column may have
 * @param maxIdentifierLength the longest name (of a schema, table or column) it takes, in bytes; longer names of the
 *     data are shortened to it, longer names in a spec are refused
 * @param staging where a job's rows wait for the commit
 * @param transactionalDdl whether tables created and altered in a transaction go when it rolls back, so a failed
 *     commit leaves the dataset as it was
 * @param catalog whether Sluice's catalog (pipelines, runs, events) can be kept in a database of this kind
 * @param reservedSchemaPrefix a prefix of schema names the destination keeps for itself, so no dataset may start with it
 */
public record DestinationCapabilities(
        String name,
        Set<WriteDisposition> writeDispositions,
        Set<MergeKind> mergeStrategies,
        Set<ReplaceStrategy> replaceStrategies,
        Set<DataType> dataTypes,
        int maxDecimalPrecision,
        int maxIdentifierLength,
        Staging staging,
        boolean transactionalDdl,
        boolean catalog,
        Optional<String> reservedSchemaPrefix) {
    public DestinationCapabilities {
        requireNonNull(name, "name is null");
        writeDispositions = Set.copyOf(writeDispositions);
        mergeStrategies = Set.copyOf(mergeStrategies);
        replaceStrategies = Set.copyOf(replaceStrategies);
        dataTypes = Set.copyOf(dataTypes);
        requireNonNull(staging, "staging is null");
        requireNonNull(reservedSchemaPrefix, "reservedSchemaPrefix is null");
        if (writeDispositions.isEmpty()) {
            throw new IllegalArgumentException(name + " must load at least one write disposition");
        }
        if (writeDispositions.contains(WriteDisposition.MERGE) == mergeStrategies.isEmpty()) {
            throw new IllegalArgumentException(name + ": merge strategies go with the MERGE disposition, and only with it");
        }
        if (writeDispositions.contains(WriteDisposition.REPLACE) == replaceStrategies.isEmpty()) {
            throw new IllegalArgumentException(name + ": replace strategies go with the REPLACE disposition, and only with it");
        }
        if (!dataTypes.contains(DataType.TEXT)) {
            throw new IllegalArgumentException(name + " must store TEXT: every type widens to it");
        }
        if (maxIdentifierLength < Naming.SHORTEST_LIMIT) {
            throw new IllegalArgumentException(name + ": identifier limit " + maxIdentifierLength + " is too small");
        }
        if (dataTypes.contains(DataType.DECIMAL) != maxDecimalPrecision > 0) {
            throw new IllegalArgumentException(name + ": a decimal precision goes with the DECIMAL type, and only with it");
        }
    }

    /** Where a job's rows wait between loading the job and committing its package. */
    public enum Staging {
        /** Nowhere else: the commit reads the package's staged file where it is (DuckDB). */
        IN_PLACE,
        /**
         * Nowhere: the commit copies each job's file into its table inside its own transaction, so a commit that fails or
         * dies takes every job back with it and the next attempt copies them all again, exactly once (PostgreSQL).
         */
        IN_COMMIT
    }

    /** The merge strategies by name, as a spec names them. */
    public enum MergeKind {
        DELETE_INSERT,
        UPSERT,
        SCD2;

        public static MergeKind of(MergeStrategy strategy) {
            return switch (strategy) {
                case MergeStrategy.DeleteInsert ignored -> DELETE_INSERT;
                case MergeStrategy.Upsert ignored -> UPSERT;
                case MergeStrategy.Scd2 ignored -> SCD2;
            };
        }
    }
}
