package io.sluice.source;

import io.sluice.schema.ColumnHint;
import io.sluice.source.sql.TypedRows;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * Parquet files, read by DuckDB's own {@code read_parquet} (no Hadoop): rows stream from the driver a chunk at a time,
 * and each column keeps the type the file declares it with. Parquet keeps its index at the end of the file, so a
 * stream (a compressed file, an object of a remote store) is first copied to a temporary file.
 */
final class ParquetReader implements FileReader {
    @Override
    public boolean read(InputStream input, String name, ItemSink sink) throws IOException {
        return fromCopy(input, copy -> read(copy, name, sink));
    }

    /** Reads a Parquet file of the local disk in place. */
    boolean read(Path file, String name, ItemSink sink) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT * FROM read_parquet(" + literal(file) + ")")) {
            TypedRows typed = TypedRows.of(rows.getMetaData());
            long row = 0;
            while (rows.next()) {
                long number = ++row;
                if (!sink.item(typed.item(rows), () -> name + ", row " + number)) {
                    return false;
                }
            }
            return true;
        } catch (SQLException e) {
            throw failure(name, e);
        }
    }

    /** The columns of a Parquet file of the local disk, typed as the file declares them. */
    static List<ColumnHint> columns(Path file, String name) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet none = statement.executeQuery("SELECT * FROM read_parquet(" + literal(file) + ") LIMIT 0")) {
            return TypedRows.of(none.getMetaData()).hints();
        } catch (SQLException e) {
            throw failure(name, e);
        }
    }

    /** The columns of a Parquet file read from a stream. */
    static List<ColumnHint> columns(InputStream input, String name) throws IOException {
        return fromCopy(input, copy -> columns(copy, name));
    }

    /** What {@code read} makes of a temporary copy of {@code input}, deleted after. */
    private static <T> T fromCopy(InputStream input, Function<Path, T> read) throws IOException {
        Path copy = Files.createTempFile("sluice-", ".parquet");
        try {
            Files.copy(input, copy, StandardCopyOption.REPLACE_EXISTING);
            return read.apply(copy);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** A DuckDB of its own in memory, which streams results rather than holding them whole. */
    private static Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("jdbc_stream_results", "true");
        return DriverManager.getConnection("jdbc:duckdb:", properties);
    }

    private static String literal(Path file) {
        return "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
    }

    /** A file DuckDB cannot read is corrupt or not Parquet: reading it again will not help. */
    private static SourceException failure(String name, SQLException cause) {
        return new SourceException(name + ": not a readable Parquet file: " + cause.getMessage(), false, cause);
    }
}
