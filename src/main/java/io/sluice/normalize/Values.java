package io.sluice.normalize;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.Detection;
import io.sluice.schema.IsoText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Infers the type of an item value, and fits values into columns that already have a type. */
final class Values {
    /** A value that fits a column only after a change of type, or not at all. */
    static final Object NO_FIT = new Object();

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
    private static final long EXACT_DOUBLE_LIMIT = 1L << 53;
    private static final int DEFAULT_SCALE = 9;
    /** The largest integer DECIMAL(38,9) holds: 29 nines. */
    private static final BigInteger LARGEST_DECIMAL = BigInteger.TEN.pow(29).subtract(BigInteger.ONE);

    /** A value bound for a JSON column: written as JSON, whatever its Java type. */
    record Json(Object value) {
    }

    private Values() {
    }

    static DataType typeOf(Object value, Set<Detection> detections) {
        return switch (value) {
            case Boolean ignored -> DataType.BOOL;
            case Integer ignored -> DataType.BIGINT;
            case Long ignored -> DataType.BIGINT;
            case BigInteger big -> big.bitLength() < 64 ? DataType.BIGINT
                    : big.abs().compareTo(LARGEST_DECIMAL) <= 0 ? DataType.DECIMAL : DataType.TEXT;
            case Double ignored -> DataType.DOUBLE;
            case Float ignored -> DataType.DOUBLE;
            case BigDecimal ignored -> DataType.DECIMAL;
            case String text -> IsoText.typeOf(text, detections);
            case Map<?, ?> ignored -> DataType.JSON;
            case List<?> ignored -> DataType.JSON;
            default -> DataType.TEXT;
        };
    }

    /**
     * The value as {@code column} stores it without changing type, or {@link #NO_FIT}. Text is read as the
     * column's type only where the spec declared that type: inferred columns never coerce text.
     */
    static Object fit(Object value, DataType valueType, Column column, boolean declared) {
        DataType target = column.type();
        if (valueType == target) {
            return switch (target) {
                case JSON -> new Json(value);
                case DECIMAL -> fitDecimal(value, column);
                default -> value;
            };
        }
        return switch (target) {
            case TEXT -> value instanceof Map<?, ?> || value instanceof List<?> ? NO_FIT : value.toString();
            case JSON -> new Json(value);
            case DOUBLE -> valueType == DataType.BIGINT && Math.abs(((Number) value).doubleValue()) <= EXACT_DOUBLE_LIMIT
                    ? value : declaredNumber(value, declared);
            case DECIMAL -> fitDecimal(value, column);
            case TIMESTAMP -> valueType == DataType.DATE || (declared && value instanceof String text
                    && IsoText.isTimestamp(text)) ? value : NO_FIT;
            case DATE -> declared && value instanceof String text && IsoText.isDate(text) ? value : NO_FIT;
            case TIME -> declared && value instanceof String text && IsoText.isTime(text) ? value : NO_FIT;
            case BIGINT -> declared && value instanceof String text && INTEGER.matcher(text).matches()
                    ? Long.parseLong(text) : NO_FIT;
            case BINARY -> declared && value instanceof String text ? base64(text) : NO_FIT;
            case BOOL -> declared && value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))
                    ? Boolean.valueOf(text) : NO_FIT;
        };
    }

    /** The type a column may safely widen to so that it holds this value too, or null when there is none. */
    static DataType promotion(DataType columnType, DataType valueType) {
        if (columnType == DataType.BIGINT && valueType == DataType.DOUBLE) {
            return DataType.DOUBLE;
        }
        if (columnType == DataType.BIGINT && valueType == DataType.DECIMAL) {
            return DataType.DECIMAL;
        }
        if (columnType == DataType.DATE && valueType == DataType.TIMESTAMP) {
            return DataType.TIMESTAMP;
        }
        return null;
    }

    private static Object declaredNumber(Object value, boolean declared) {
        if (declared && value instanceof String text) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                return NO_FIT;
            }
        }
        return NO_FIT;
    }

    /** Decimals keep only what the column's scale holds exactly; anything that would be rounded does not fit. */
    private static Object fitDecimal(Object value, Column column) {
        BigDecimal decimal;
        try {
            decimal = switch (value) {
                case BigDecimal exact -> exact;
                case BigInteger big -> new BigDecimal(big);
                case Long number -> BigDecimal.valueOf(number);
                case Integer number -> BigDecimal.valueOf(number);
                case Double number -> BigDecimal.valueOf(number);
                case String text -> new BigDecimal(text);
                default -> null;
            };
        } catch (NumberFormatException e) {
            return NO_FIT;
        }
        if (decimal == null) {
            return NO_FIT;
        }
        int scale = column.precision() > 0 ? column.scale() : DEFAULT_SCALE;
        int precision = column.precision() > 0 ? column.precision() : 38;
        BigDecimal stripped = decimal.stripTrailingZeros();
        if (Math.max(stripped.scale(), 0) > scale || stripped.precision() - stripped.scale() > precision - scale) {
            return NO_FIT;
        }
        return stripped;
    }

    private static Object base64(String text) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return NO_FIT;
        }
    }
}
