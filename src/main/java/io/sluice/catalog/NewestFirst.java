package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.micros;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A listing of rows ordered newest first by a time column, then by id: the conditions of its filters, and the pages
 * its tokens name. Runs and audit events are listed this way.
 */
final class NewestFirst {
    private final String timeColumn;
    private final List<String> conditions = new ArrayList<>();
    private final List<Object> values = new ArrayList<>();

    NewestFirst(String timeColumn) {
        this.timeColumn = timeColumn;
    }

    /** Keeps the rows where {@code column} equals the value, when there is one. */
    NewestFirst equal(String column, Optional<String> value) {
        value.ifPresent(wanted -> condition(column + " = ?", wanted));
        return this;
    }

    /** Keeps the rows the condition holds for, its {@code ?} bound to the values in order. */
    NewestFirst condition(String condition, Object... bound) {
        conditions.add(condition);
        values.addAll(List.of(bound));
        return this;
    }

    /** Keeps the rows of times at or after {@code from} and before {@code before}, where given. */
    NewestFirst between(Optional<Instant> from, Optional<Instant> before) {
        from.ifPresent(time -> condition(timeColumn + " >= ?", micros(time)));
        before.ifPresent(time -> condition(timeColumn + " < ?", micros(time)));
        return this;
    }

    /**
     * Reads one page, starting after the row the token names (from the start when it is empty).
     *
     * @param read runs the query with the WHERE and ORDER BY clauses it is given, the values to bind and the most rows
     *             to read
     * @param position the time and id of a row, which the next page's token names
     */
    <T> Page<T> page(int pageSize, String pageToken, QueryRunner<T> read, Function<T, PageTokens.Position> position) {
        if (!pageToken.isEmpty()) {
            PageTokens.Position after = PageTokens.position(pageToken);
            condition("(" + timeColumn + " < ? OR (" + timeColumn + " = ? AND id < ?))", after.timeMicros(), after.timeMicros(),
                    after.id());
        }
        String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions);
        List<T> found = read.query(where + " ORDER BY " + timeColumn + " DESC, id DESC", values, pageSize + 1);
        if (found.size() <= pageSize) {
            return new Page<>(found, "");
        }
        List<T> page = found.subList(0, pageSize);
        return new Page<>(page, PageTokens.after(position.apply(page.getLast())));
    }

    /** Runs a listing's query: the clauses after FROM, the values they bind, and the most rows to read. */
    @FunctionalInterface
    interface QueryRunner<T> {
        List<T> query(String clauses, List<Object> values, int limit);
    }
}
