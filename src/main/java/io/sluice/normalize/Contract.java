package io.sluice.normalize;

import io.sluice.schema.ContractMode;
import io.sluice.schema.SchemaContract;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Decides, under a resource's schema contract, what happens to data the schema does not fit yet: a frozen contract
 * fails the run naming the record and field, a discarding one says what to drop and reports it.
 */
final class Contract {
    private static final int REPORTED_DROPS = 20;

    private final String resource;
    private final SchemaContract contract;
    private final NormalizeListener listener;
    /** Drops reported so far, shared by the workers of one resource so that together they report as many as one. */
    private final AtomicLong drops;

    /** What to do with the data that needed the change; a frozen contract does not answer, it throws. */
    enum Verdict {
        KEEP,
        DISCARD_ROW,
        DISCARD_VALUE
    }

    Contract(String resource, SchemaContract contract, NormalizeListener listener) {
        this(resource, contract, listener, new AtomicLong());
    }

    private Contract(String resource, SchemaContract contract, NormalizeListener listener, AtomicLong drops) {
        this.resource = resource;
        this.contract = contract;
        this.listener = listener;
        this.drops = drops;
    }

    /** The same contract for a worker's part of the resource, telling {@code workerListener}. */
    Contract forWorker(NormalizeListener workerListener) {
        return new Contract(resource, contract, workerListener, drops);
    }

    /** A table the schema does not have yet, nested ones too. */
    Verdict newTable(String table, Supplier<String> origin) {
        return switch (contract.tables()) {
            case EVOLVE -> Verdict.KEEP;
            case FREEZE -> throw new ContractViolationException(origin.get() + ": new table '" + table
                    + "' but the tables contract of resource '" + resource + "' is FREEZE");
            case DISCARD_ROW, DISCARD_VALUE -> {
                drop(table, origin, "new table '" + table + "' discarded by the tables contract");
                yield contract.tables() == ContractMode.DISCARD_ROW ? Verdict.DISCARD_ROW : Verdict.DISCARD_VALUE;
            }
        };
    }

    /** A new column of a table the stored schema has. */
    Verdict newColumn(String table, String sourcePath, String column, Supplier<String> origin) {
        return decide(contract.columns(), table, sourcePath, "new column '" + column + "'", origin);
    }

    /** A value that fits neither its column nor a safe promotion of it: {@code change} says what it would take. */
    Verdict dataType(String table, String sourcePath, String change, Supplier<String> origin) {
        return decide(contract.dataType(), table, sourcePath, change, origin);
    }

    /** A source record that could not be read: reported, unless the contract freezes anything, which fails the run. */
    void rejected(String table, Supplier<String> origin, String reason) {
        if (contract.freezesAnything()) {
            throw new ContractViolationException(origin.get() + ": " + reason
                    + " (the schema contract freezes resource '" + resource + "', so bad records fail the run)");
        }
        drop(table, origin, reason);
    }

    private Verdict decide(ContractMode mode, String table, String sourcePath, String change, Supplier<String> origin) {
        return switch (mode) {
            case EVOLVE -> Verdict.KEEP;
            case FREEZE -> throw new ContractViolationException(origin.get() + ": field '" + sourcePath
                    + "' needs a " + change + " in table '" + table + "', but the schema contract of resource '"
                    + resource + "' freezes it");
            case DISCARD_ROW -> {
                drop(table, origin, "row discarded: field '" + sourcePath + "' needs a " + change);
                yield Verdict.DISCARD_ROW;
            }
            case DISCARD_VALUE -> {
                drop(table, origin, "value discarded: field '" + sourcePath + "' needs a " + change);
                yield Verdict.DISCARD_VALUE;
            }
        };
    }

    /** The first drops are reported one by one; past that they are only counted, so a bad file cannot flood the log. */
    private void drop(String table, Supplier<String> origin, String reason) {
        if (drops.getAndIncrement() < REPORTED_DROPS) {
            listener.dropped(table, origin.get(), reason);
        }
    }
}
