package io.sluice.source.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schema.DataType;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * How the values of a database column are read into item values that keep their meaning: each kind has the Sluice
 * type its column is declared as, so that nothing about it is left to inference.
 */
enum ColumnKind {
    BOOL(DataType.BOOL, ColumnKind::bool),
    INTEGER(DataType.BIGINT, ColumnKind::integer),
    DOUBLE(DataType.DOUBLE, ColumnKind::floating),
    /** Exact numbers, also integers too wide for a bigint (MariaDB's BIGINT UNSIGNED). */
    DECIMAL(DataType.DECIMAL, ResultSet::getBigDecimal),
    TEXT(DataType.TEXT, ResultSet::getString),
    /** ISO text ({@code 2024-05-01}), which a column declared DATE takes as a date. */
    DATE(DataType.DATE, ResultSet::getString),
    TIME(DataType.TIME, ResultSet::getString),
    /** A timestamp without a time zone, read as UTC (as dlt reads it): an ISO instant. */
    TIMESTAMP(DataType.TIMESTAMP, ColumnKind::localTimestamp),
    TIMESTAMP_WITH_TIME_ZONE(DataType.TIMESTAMP, ColumnKind::timestamp),
    /** JSON text, parsed, so that the column declared JSON keeps the document rather than a string of it. */
    JSON(DataType.JSON, ColumnKind::json),
    /** An array, kept whole as a JSON list (as dlt's default backend does). */
    ARRAY(DataType.JSON, ColumnKind::array),
    /** Bytes, as base64 text, which a column declared BINARY decodes. */
    BINARY(DataType.BINARY, ColumnKind::base64);

    /** Reads the value in a column (1-based) of a result's current row. */
    @FunctionalInterface
    private interface Reader {
        Object read(ResultSet row, int column) throws SQLException;
    }

    private static final ObjectMapper JSON_READER = new ObjectMapper();

    private final DataType type;
    private final Reader reader;

    ColumnKind(DataType type, Reader reader) {
        this.type = type;
        this.reader = reader;
    }

    /** The Sluice type a column of this kind is declared as. */
    DataType type() {
        return type;
    }

    /** The value in {@code column} (1-based) of the current row, or null. */
    Object read(ResultSet row, int column) throws SQLException {
        return reader.read(row, column);
    }

    private static Object bool(ResultSet row, int column) throws SQLException {
        boolean value = row.getBoolean(column);
        return row.wasNull() ? null : value;
    }

    private static Object integer(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static Object floating(ResultSet row, int column) throws SQLException {
        double value = row.getDouble(column);
        return row.wasNull() ? null : value;
    }

    private static Object localTimestamp(ResultSet row, int column) throws SQLException {
        LocalDateTime value = row.getObject(column, LocalDateTime.class);
        return value == null ? null : InstantText.of(value.toEpochSecond(ZoneOffset.UTC), value.getNano());
    }

    private static Object timestamp(ResultSet row, int column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : InstantText.of(value.toEpochSecond(), value.getNano());
    }

    private static Object json(ResultSet row, int column) throws SQLException {
        String text = row.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return JSON_READER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new SQLException("column " + row.getMetaData().getColumnLabel(column) + " holds malformed JSON: "
                    + e.getOriginalMessage(), "22032", e);
        }
    }

    private static Object array(ResultSet row, int column) throws SQLException {
        Array array = row.getArray(column);
        return array == null ? null : list(array.getArray());
    }

    private static Object base64(ResultSet row, int column) throws SQLException {
        byte[] bytes = row.getBytes(column);
        return bytes == null ? null : Base64.getEncoder().encodeToString(bytes);
    }

    /** An array's elements as JSON values: numbers, booleans and text as they are, anything else as its text. */
    private static List<Object> list(Object elements) throws SQLException {
        if (!(elements instanceof Object[] values)) {
            throw new SQLException("an array column did not read as an array of objects", "22000");
        }
        List<Object> list = new ArrayList<>(values.length);
        for (Object value : values) {
            list.add(switch (value) {
                case null -> null;
                case Number number -> number;
                case Boolean bool -> bool;
                case String text -> text;
                case Object[] nested -> list(nested);
                default -> value.toString();
            });
        }
        return list;
    }
}
