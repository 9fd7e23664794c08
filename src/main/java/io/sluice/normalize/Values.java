package io.sluice.normalize;

import io.sluice.schema.DataType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Infers the type of one item value. */
final class Values {
    /** ISO 8601 date-times with at most microseconds, which is what destinations store exactly. */
    private static final Pattern TIMESTAMP = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,6})?)?(Z|[+-]\\d{2}(:?\\d{2})?)?");

    private Values() {
    }

    static DataType typeOf(Object value) {
        return switch (value) {
            case Boolean ignored -> DataType.BOOL;
            case Integer ignored -> DataType.BIGINT;
            case Long ignored -> DataType.BIGINT;
            case BigInteger big -> big.bitLength() < 64 ? DataType.BIGINT : DataType.TEXT;
            case Double ignored -> DataType.DOUBLE;
            case Float ignored -> DataType.DOUBLE;
            case BigDecimal ignored -> DataType.DOUBLE;
            case String text -> TIMESTAMP.matcher(text).matches() ? DataType.TIMESTAMP : DataType.TEXT;
            case Map<?, ?> ignored -> DataType.JSON;
            case List<?> ignored -> DataType.JSON;
            default -> DataType.TEXT;
        };
    }
}
