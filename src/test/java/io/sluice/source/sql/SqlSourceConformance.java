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
    private final String username;
    private final String password;
    private boolean created;

    /** @param username the user the source logs in as, with {@code password}; empty: none (DuckDB) */
    SqlSourceConformance(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** The JDBC URL of the database. */
    abstract String url();

    abstract void execute(String... statements);

    @Override
    protected String source(boolean incremental) {
        String credentials = username.isEmpty() ? "" : "  username: " + username + "\n  password_secret: source-password\n";
        return "sql_database:\n  url: \"" + url() + "\"\n" + credentials + "  resources: [ { name: items, table: " + table
                + (incremental ? ", incremental: { cursor_path: id }, primary_key: [id]" : ", write_disposition: REPLACE") + " } ]\n";
    }

    @Override
    protected Map<String, String> secrets() {
        return username.isEmpty() ? Map.of() : Map.of("source-password", password);
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
