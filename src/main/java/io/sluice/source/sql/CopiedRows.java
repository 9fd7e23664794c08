package io.sluice.source.sql;

import io.sluice.schema.AscendingIntegers;
import io.sluice.schema.DataType;
import io.sluice.schema.ScannedCsv;
import io.sluice.schema.StagedCsv;
import io.sluice.schema.TableHints;
import io.sluice.source.CopyOutput;
import io.sluice.source.CsvCopies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * Reads a PostgreSQL table's or query's rows as CSV text through {@code COPY … TO STDOUT} and hands them to a sink that
 * takes copies ({@link io.sluice.source.ItemSink#csvCopies}) as copies in the load package, each row's id put in front,
 * which the destination reads with the columns' types: no value is decoded, typed or written again here, so extracting
 * costs PostgreSQL's formatting and the bytes' copy. Only columns whose text the destinations read as the value the
 * typed rows would stage are copied: integers, doubles, booleans (asked for as {@code true}/{@code false}), plain text,
 * timestamps (asked for in UTC), dates and decimals of a declared precision; the spec must declare nothing of its own
 * about them. A timestamp, date or decimal whose text is not the typed rows' value ({@link CheckedText}: one before year
 * 1 or after 9999, a decimal's NaN) may come in any row: when one comes, the copies are removed and the caller reads the
 * rows as typed rows instead, as it does when the sink refuses them.
 */
final class CopiedRows {
    /** Rows per batch from PostgreSQL, which sends each row as a message of its own. */
    private static final int BATCH_ROWS = 1024;
    /** Batches the reader may be ahead: a few hundred KiB. */
    private static final int BATCHES_AHEAD = 4;
    private static final int COPY_BUFFER = 1 << 16;
    /** The database's types whose text is copied, by the kind the typed rows read them as. */
    private static final Map<ColumnKind, Set<String>> COPIED_TYPES = Map.of(
            ColumnKind.BOOL, Set.of("bool"),
            ColumnKind.INTEGER, Set.of("int2", "int4", "int8", "smallserial", "serial", "bigserial"),
            ColumnKind.DOUBLE, Set.of("float4", "float8"),
            ColumnKind.TEXT, Set.of("text", "varchar", "bpchar", "uuid"),
            ColumnKind.TIMESTAMP, Set.of("timestamp"),
            ColumnKind.TIMESTAMP_WITH_TIME_ZONE, Set.of("timestamptz"),
            ColumnKind.DECIMAL, Set.of("numeric"),
            ColumnKind.DATE, Set.of("date"));

    private final Relation relation;
    private final CsvCopies copies;
    /** Told the bytes of each batch of rows as it is copied: the run's progress (its rows count once they are taken). */
    private final LongConsumer bytesRead;
    /** For each field, the check its text takes, or null; and the last field with one, or -1. */
    private final CheckedText[] checked;
    private final int lastChecked;
    /** What every copy's fields are: their names, a value of each one's type, the types (see {@link #endCopy}). */
    private final List<String> fields;
    private final List<Object> ofTheirTypes;
    private final List<DataType> types;
    private final byte[] id = new byte[64];
    private final List<ScannedCsv> written = new ArrayList<>();
    private CopyOutput output;
    private Path copy;
    private long copyRows;
    private long longestLine;
    /** Rows written into the copies so far, which number their ids. */
    private long rows;

    private CopiedRows(Relation relation, CsvCopies copies, LongConsumer bytesRead) {
        this.relation = relation;
        this.copies = copies;
        this.bytesRead = bytesRead;
        this.checked = relation.columns().stream().map(column -> CheckedText.of(column.kind())).toArray(CheckedText[]::new);
        this.lastChecked = IntStream.range(0, checked.length).filter(field -> checked[field] != null).max().orElse(-1);
        this.fields = relation.columns().stream().map(SqlColumn::name).toList();
        this.ofTheirTypes = relation.columns().stream().map(column -> valueOfType(column.kind())).toList();
        this.types = relation.columns().stream().map(column -> column.kind().type()).toList();
    }

    /**
     * Whether the rows of {@code relation}, read from a database of {@code dialect} for a resource with {@code hints}
     * (the columns declared as the database types them, {@link Relations#typed}), can be copied.
     */
    static boolean copies(Dialect dialect, Relation relation, TableHints hints) {
        List<SqlColumn> columns = relation.columns();
        boolean distinct = new HashSet<>(columns.stream().map(SqlColumn::name).toList()).size() == columns.size();
        return dialect == Dialect.POSTGRESQL && distinct && !columns.isEmpty()
                && columns.stream().allMatch(column -> COPIED_TYPES.getOrDefault(column.kind(), Set.of()).contains(column.typeName())
                        && (column.kind() != ColumnKind.DECIMAL || column.precision() > 0))
                && hints.columns().equals(columns.stream().map(SqlColumn::hint).toList());
    }

    /**
     * Copies the rows and hands the copies to {@code copies}, telling {@code bytesRead} the bytes copied as they come.
     *
     * @return whether {@code copies} took them; false (every copy removed): read the rows as typed rows
     * @throws SQLException the database's failure
     */
    static boolean copy(Database database, Relation relation, CsvCopies copies, LongConsumer bytesRead) throws SQLException {
        return new CopiedRows(relation, copies, bytesRead).copy(database);
    }

    private boolean copy(Database database) throws SQLException {
        boolean taken = false;
        try {
            taken = write(database) && take();
            return taken;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the copy of " + relation.description(), e);
        } finally {
            if (!taken) {
                removeCopies();
            }
        }
    }

    /** Writes every row into copies of at most about a part's size; false when a row's text cannot be copied. */
    private boolean write(Database database) throws SQLException, IOException {
        String what = "copying " + relation.description();
        try (ReadAhead<byte[]> ahead = ReadAhead.start("sql-copy", BATCH_ROWS, BATCHES_AHEAD,
                (call, rows) -> read(call, database, rows))) {
            for (List<byte[]> batch = ahead.next(what); !batch.isEmpty(); batch = ahead.next(what)) {
                long bytes = 0;
                for (byte[] row : batch) {
                    if (!copied(row)) {
                        return false;
                    }
                    writeRow(row);
                    bytes += row.length;
                }
                bytesRead.accept(bytes);
            }
        }
        endCopy();
        return true;
    }

    /** The reader's side, on the call's thread: COPY's rows, one message each. */
    private void read(DatabaseCall<Void> call, Database database, Consumer<byte[]> into) throws SQLException {
        Connection connection = call.connect(database);
        // Registered so that a cut cancels the COPY in the database (PostgreSQL's cancel reaches what the connection runs).
        Statement settings = call.inFlight(connection.createStatement());
        // Timestamps in UTC (the typed rows read them as instants), doubles to their last digit (PostgreSQL 12 on writes
        // the shortest text that reads back as the same double; before, 17 digits).
        settings.execute("SET TimeZone = 'UTC'");
        settings.execute("SET extra_float_digits = 3");
        CopyOut copyOut = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(copyStatement(database.dialect()));
        try {
            for (byte[] row = copyOut.readFromCopy(); row != null && !call.stopping(); row = copyOut.readFromCopy()) {
                into.accept(row);
            }
        } finally {
            if (copyOut.isActive()) {
                copyOut.cancelCopy();
            }
        }
    }

    /** The rows, each column as text the destinations read as the typed rows' value. */
    private String copyStatement(Dialect dialect) {
        List<String> values = new ArrayList<>();
        for (SqlColumn column : relation.columns()) {
            String value = "sluice_rows." + dialect.quote(column.name());
            values.add(switch (column.typeName()) {
                case "bool" -> value + "::text";
                case "float4" -> value + "::float8";
                case "timestamp" -> value + " AT TIME ZONE 'UTC'";
                default -> value;
            });
        }
        return "COPY (SELECT " + String.join(", ", values) + " FROM (" + relation.select() + ") AS sluice_rows) TO STDOUT (FORMAT csv)";
    }

    /** Whether every field of the row that takes a check is NULL (empty) or passes it. */
    private boolean copied(byte[] row) {
        int field = 0;
        int start = 0;
        boolean quoted = false;
        for (int at = 0; at < row.length && field <= lastChecked; at++) {
            byte next = row[at];
            if (next == '"') {
                quoted = !quoted;
            } else if (!quoted && (next == ',' || next == '\n')) {
                if (checked[field] != null && at > start && !checked[field].matches(row, start, at)) {
                    return false;
                }
                field++;
                start = at + 1;
            }
        }
        return true;
    }

    /** The row, its id in front, into the copy being written; a new copy once the last holds a part's size. */
    private void writeRow(byte[] row) throws IOException {
        if (output != null && output.written() >= StagedCsv.PART_SIZE) {
            endCopy();
        }
        if (output == null) {
            copy = copies.newCopy();
            output = new CopyOutput(copy, COPY_BUFFER);
        }
        int idLength = copies.rowId(rows, id);
        output.write(id, 0, idLength);
        output.write((byte) StagedCsv.DELIMITER);
        output.write(row, 0, row.length);
        long line = idLength + 1L + row.length;
        longestLine = Math.max(longestLine, line);
        copyRows++;
        rows++;
    }

    /** Closes the copy being written, if any, as one more to hand over. */
    private void endCopy() throws IOException {
        if (output == null) {
            return;
        }
        output.close();
        output = null;
        written.add(new ScannedCsv(copy, StagedCsv.DELIMITER, StagedCsv.QUOTE, false, fields, ofTheirTypes,
                IntStream.range(0, fields.size()).boxed().toList(), copyRows, longestLine, Map.<String, AscendingIntegers>of(),
                Optional.of(types)));
        copyRows = 0;
        longestLine = 0;
    }

    /**
     * A value of the type the typed rows read a column of {@code kind} as: a copy's fields are its columns', declared
     * before any value, so only the type of a field's values counts, which every value of the field has.
     */
    private static Object valueOfType(ColumnKind kind) {
        return switch (kind) {
            case BOOL -> false;
            case INTEGER -> 0L;
            case DOUBLE -> 0.0;
            case TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE -> "2000-01-01T00:00:00Z";
            case TEXT -> "text";
            case DECIMAL -> BigDecimal.ZERO;
            case DATE -> "2000-01-01";
            case TIME, JSON, ARRAY, BINARY -> throw new IllegalArgumentException(kind + " columns are not copied");
        };
    }

    /**
     * Hands the copies over in order. The sink judges the first as it judges each (the table's contract, each column's
     * type): the rest have the same fields of the same types, so it takes them all or none.
     */
    private boolean take() {
        Supplier<String> origin = relation::description;
        for (int index = 0; index < written.size(); index++) {
            if (!copies.take(written.get(index), origin)) {
                if (index > 0) {
                    throw new IllegalStateException("the copies of " + relation.description() + " were taken, then copy "
                            + (index + 1) + " of the same fields was refused");
                }
                return false;
            }
        }
        return true;
    }

    private void removeCopies() {
        try {
            if (output != null) {
                output.close();
            }
            if (copy != null) {
                Files.deleteIfExists(copy);
            }
            for (ScannedCsv file : written) {
                Files.deleteIfExists(file.copy());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the copies of " + relation.description(), e);
        }
    }
}
