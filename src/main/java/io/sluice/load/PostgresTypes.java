package io.sluice.load;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;

/** How schema types are spelled in PostgreSQL, and read back from its {@code information_schema}. */
final class PostgresTypes {
    private PostgresTypes() {
    }

    static String sqlType(Column column) {
        return switch (column.type()) {
            case BOOL -> "boolean";
            case BIGINT -> "bigint";
            case DOUBLE -> "double precision";
            case DECIMAL -> column.precision() > 0 ? "numeric(" + column.precision() + "," + column.scale() + ")" : "numeric(38,9)";
            case TEXT -> "text";
            case TIMESTAMP -> "timestamptz";
            case DATE -> "date";
            case TIME -> "time";
            case JSON -> "jsonb";
            case BINARY -> "bytea";
        };
    }

    /** The type of a column of {@link #sqlType} as the catalog spells it ({@code format_type}). */
    static String catalogType(Column column) {
        return switch (column.type()) {
            case TIMESTAMP -> "timestamp with time zone";
            case TIME -> "time without time zone";
            case BOOL, BIGINT, DOUBLE, DECIMAL, TEXT, DATE, JSON, BINARY -> sqlType(column);
        };
    }

    /** The schema type of a column {@code information_schema.columns.data_type} reports; others read as text. */
    static DataType fromSql(String sqlType) {
        if (sqlType.startsWith("timestamp")) {
            return DataType.TIMESTAMP;
        }
        if (sqlType.startsWith("time")) {
            return DataType.TIME;
        }
        return switch (sqlType) {
            case "boolean" -> DataType.BOOL;
            case "bigint", "integer", "smallint" -> DataType.BIGINT;
            case "double precision", "real" -> DataType.DOUBLE;
            case "numeric" -> DataType.DECIMAL;
            case "date" -> DataType.DATE;
            case "jsonb", "json" -> DataType.JSON;
            case "bytea" -> DataType.BINARY;
            default -> DataType.TEXT;
        };
    }
}
