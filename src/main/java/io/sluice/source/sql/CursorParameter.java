package io.sluice.source.sql;

import io.sluice.pipeline.CursorValue;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Binds an incremental cursor value as a statement parameter of the cursor column's own type, so the database compares
 * like with like (and uses its index): a timestamp as a local date-time for a column without a time zone (read as UTC,
 * as its values are), as an instant for one with.
 */
final class CursorParameter {
    private CursorParameter() {
    }

    static void bind(PreparedStatement statement, int index, CursorValue value, ColumnKind column) throws SQLException {
        switch (value) {
            case CursorValue.Number number -> statement.setBigDecimal(index, number.value());
            case CursorValue.Text text -> statement.setString(index, text.value());
            case CursorValue.Timestamp timestamp -> bindTime(statement, index, OffsetDateTime.ofInstant(timestamp.value(), ZoneOffset.UTC),
                    column);
            case CursorValue.Date date -> bindTime(statement, index, date.value().atStartOfDay().atOffset(ZoneOffset.UTC), column);
        }
    }

    private static void bindTime(PreparedStatement statement, int index, OffsetDateTime value, ColumnKind column) throws SQLException {
        switch (column) {
            case TIMESTAMP_WITH_TIME_ZONE -> statement.setObject(index, value);
            case DATE -> statement.setObject(index, value.toLocalDate());
            case TIMESTAMP, BOOL, INTEGER, DOUBLE, DECIMAL, TEXT, TIME, JSON, ARRAY, BINARY ->
                    statement.setObject(index, LocalDateTime.ofInstant(value.toInstant(), ZoneOffset.UTC));
        }
    }
}
