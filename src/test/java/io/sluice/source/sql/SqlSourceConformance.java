package io.sluice.source.sql;

import io.sluice.source.SourceConformance;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/** The source suite for one database of the sql_database source: a table of its own per test, created on first rows. */
abstract class SqlSourceConformance extends SourceConformance {
    /** Named apart per test: the databases are shared by the whole suite. */
    private final String table = "conformance_" + UUID.randomUUID().toString().substring(0, 8);
    private boolean created;

    /** The JDBC URL of the database. */
    abstract String url();

    /** More keys of the source (its username and password secret), in YAML, one to a line; may be empty. */
    abstract String credentials();

    abstract void execute(String... statements);

    @Override
    protected String source(boolean incremental) {
        return "sql_database:\n  url: \"" + url() + "\"\n" + credentials().indent(2) + "  resources: [ { name: items, table: " + table
                + (incremental ? ", incremental: { cursor_path: id }, primary_key: [id]" : ", write_disposition: REPLACE") + " } ]\n";
    }

    @Override
    protected void add(List<Map<String, Object>> rows) {
        if (!created) {
            execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(40))");
            created = true;
        }
        execute("INSERT INTO " + table + " VALUES " + rows.stream().map(row -> "(" + row.get("id") + ", '" + row.get("name") + "')")
                .collect(Collectors.joining(", ")));
    }

    @Override
    protected String breakSource() {
        execute("DROP TABLE " + table);
        return table;
    }
}
