package io.sluice.load;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import java.util.Locale;

/** How schema types are spelled in DuckDB, and read back from its catalog. */
final class DuckDbTypes {
    private DuckDbTypes() {
    }

    static String sqlType(Column column) {
        return switch (column.type()) {
            case BOOL -> "BOOLEAN";
            case BIGINT -> "BIGINT";
            case DOUBLE -> "DOUBLE";
            case DECIMAL -> column.precision() > 0 ? "DECIMAL(" + column.precision() + "," + column.scale() + ")" : "DECIMAL(38,9)";
            case TEXT -> "VARCHAR";
            case TIMESTAMP -> "TIMESTAMPTZ";
            case DATE -> "DATE";
            case TIME -> "TIME";
            case JSON -> "JSON";
            case BINARY -> "BLOB";
        };
    }

    /** The schema type of a column DuckDB reports as {@code sqlType}; types Sluice does not create read as text. */
    static DataType fromSql(String sqlType) {
        String type = sqlType.toUpperCase(Locale.ROOT);
        if (type.equals("BOOLEAN")) {
            return DataType.BOOL;
        }
        if (type.matches("BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT")) {
            return DataType.BIGINT;
        }
        if (type.equals("DOUBLE") || type.equals("FLOAT")) {
            return DataType.DOUBLE;
        }
        if (type.startsWith("DECIMAL")) {
            return DataType.DECIMAL;
        }
        if (type.startsWith("TIMESTAMP")) {
            return DataType.TIMESTAMP;
        }
        return switch (type) {
            case "DATE" -> DataType.DATE;
            case "TIME" -> DataType.TIME;
            case "JSON" -> DataType.JSON;
            case "BLOB" -> DataType.BINARY;
            default -> DataType.TEXT;
        };
    }
}
