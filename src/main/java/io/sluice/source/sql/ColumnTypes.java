package io.sluice.source.sql;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads the columns of a result as the database types them, each mapped to the kind of value it holds. */
final class ColumnTypes {
    /** The widest decimal Sluice declares; wider ones are kept as text, whole. */
    private static final int MAX_PRECISION = 38;

    private ColumnTypes() {
    }

    static List<SqlColumn> of(ResultSetMetaData metaData) throws SQLException {
        List<SqlColumn> columns = new ArrayList<>(metaData.getColumnCount());
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            String typeName = metaData.getColumnTypeName(i) == null ? "" : metaData.getColumnTypeName(i).toLowerCase(Locale.ROOT);
            int precision = metaData.getPrecision(i);
            ColumnKind kind = kind(metaData.getColumnType(i), typeName, precision);
            if (kind == ColumnKind.DECIMAL && precision > MAX_PRECISION) {
                kind = ColumnKind.TEXT;
            }
            boolean declaredPrecision = kind == ColumnKind.DECIMAL && precision >= 1;
            columns.add(new SqlColumn(metaData.getColumnLabel(i), kind, typeName, declaredPrecision ? precision : 0,
                    declaredPrecision ? Math.max(metaData.getScale(i), 0) : 0));
        }
        return columns;
    }

    /**
     * The kind of a column by its JDBC type and the database's own type name. PostgreSQL reports {@code json},
     * {@code jsonb}, {@code uuid} and {@code timestamptz} by name only (as OTHER or TIMESTAMP).
     */
    static ColumnKind kind(int jdbcType, String typeName, int precision) {
        if (typeName.equals("json") || typeName.equals("jsonb")) {
            return ColumnKind.JSON;
        }
        return switch (jdbcType) {
            // PostgreSQL's bool is a BIT; a MariaDB BIT(8) is bits, not a truth value.
            case Types.BOOLEAN -> ColumnKind.BOOL;
            case Types.BIT -> precision <= 1 ? ColumnKind.BOOL : ColumnKind.BINARY;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER -> ColumnKind.INTEGER;
            case Types.BIGINT -> typeName.contains("unsigned") ? ColumnKind.DECIMAL : ColumnKind.INTEGER;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> ColumnKind.DOUBLE;
            case Types.NUMERIC, Types.DECIMAL -> ColumnKind.DECIMAL;
            case Types.DATE -> ColumnKind.DATE;
            // A time with an offset has no Sluice type; its text keeps it whole.
            case Types.TIME -> typeName.equals("timetz") ? ColumnKind.TEXT : ColumnKind.TIME;
            case Types.TIMESTAMP -> typeName.equals("timestamptz") ? ColumnKind.TIMESTAMP_WITH_TIME_ZONE : ColumnKind.TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> ColumnKind.TIMESTAMP_WITH_TIME_ZONE;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> ColumnKind.BINARY;
            case Types.ARRAY -> ColumnKind.ARRAY;
            // Text, and whatever has no Sluice type of its own (uuid, interval, inet, enums, DuckDB's HUGEINT): its text.
            default -> ColumnKind.TEXT;
        };
    }
}
