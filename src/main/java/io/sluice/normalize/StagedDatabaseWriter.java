package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/** PROTOTYPE: writes one part's rows into a DuckDB database file through the driver's appender. */
final class StagedDatabaseWriter implements AutoCloseable {
    private final Connection connection;
    private final DuckDBAppender appender;
    private final DataType[] kinds;

    StagedDatabaseWriter(Path file, List<Column> columns) throws IOException {
        try {
            Properties properties = new Properties();
            properties.setProperty("threads", "1");
            connection = new DuckDBDriver().connect("jdbc:duckdb:", properties);
            kinds = columns.stream().map(column -> kind(column.type())).toArray(DataType[]::new);
            try (Statement statement = connection.createStatement()) {
                statement.execute("ATTACH '" + file.toString().replace("'", "''") + "' AS part");
                String definitions = columns.stream()
                        .map(column -> "\"" + column.name().replace("\"", "\"\"") + "\" " + sqlKind(kind(column.type())))
                        .collect(Collectors.joining(", "));
                statement.execute("CREATE TABLE part.main.rows (" + definitions + ")");
            }
            appender = connection.unwrap(DuckDBConnection.class).createAppender("part", "main", "rows");
        } catch (SQLException e) {
            throw new IOException("cannot stage rows in " + file + ": " + e.getMessage(), e);
        }
    }

    static DataType kind(DataType type) {
        return switch (type) {
            case BOOL, BIGINT, DOUBLE, BINARY -> type;
            case DECIMAL, TEXT, TIMESTAMP, DATE, TIME, JSON -> DataType.TEXT;
        };
    }

    private static String sqlKind(DataType kind) {
        return switch (kind) {
            case BOOL -> "BOOLEAN";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case BINARY -> "BLOB";
            default -> "VARCHAR";
        };
    }

    void writeRow(Object[] values, int count) throws IOException {
        try {
            appender.beginRow();
            for (int i = 0; i < count; i++) {
                Object value = i < values.length ? values[i] : null;
                if (value == null) {
                    appender.appendNull();
                    continue;
                }
                switch (kinds[i]) {
                    case BOOL -> appender.append(((Boolean) value).booleanValue());
                    case BIGINT -> appender.append(((Number) value).longValue());
                    case DOUBLE -> appender.append(((Number) value).doubleValue());
                    case BINARY -> appender.appendByteArray((byte[]) value);
                    default -> appender.append(StagedFileWriter.text(value));
                }
            }
            appender.endRow();
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try (connection; Statement statement = connection.createStatement()) {
            appender.close();
            statement.execute("CHECKPOINT part");
            statement.execute("DETACH part");
        } catch (SQLException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
