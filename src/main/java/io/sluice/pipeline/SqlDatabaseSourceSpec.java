package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.TableHints;
import java.util.List;
import java.util.Optional;

/**
 * A database read over JDBC: the tables its resources name or its queries select, and the tables of {@code schema}
 * that the {@code include} and {@code exclude} patterns pick.
 *
 * @param url the JDBC URL (jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: or jdbc:duckdb:)
 * @param passwordSecret names the secret holding the password (resolved when a run starts, never stored)
 * @param schema the schema whose tables are read; empty: the connection's default
 * @param include table name patterns; empty: every table when no resources are listed, else none beyond those
 * @param chunkSize rows fetched from the database at a time
 */
public record SqlDatabaseSourceSpec(String url, Optional<String> username, Optional<String> passwordSecret,
                                    Optional<String> schema, List<SqlResource> resources, List<String> include,
                                    List<String> exclude, int chunkSize) implements SourceSpec {
    /**
     * A fetch the Java heap's young generation holds while it is read (bin/sluice): 10,000 rows of a seven-column table
     * outgrew it and were promoted, which peaked at 562 MiB on 1,000,000 rows, 2,000 rows at 228 MiB in the same time
     * (bench/RESULTS-perf.md).
     */
    public static final int DEFAULT_CHUNK_SIZE = 2_000;

    public SqlDatabaseSourceSpec {
        requireNonNull(url, "url is null");
        requireNonNull(username, "username is null");
        requireNonNull(passwordSecret, "passwordSecret is null").ifPresent(SecretReference::new);
        requireNonNull(schema, "schema is null");
        resources = List.copyOf(resources);
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be positive");
        }
    }

    /** Whether tables are discovered beyond those the resources name. */
    public boolean discovers() {
        return !include.isEmpty() || resources.isEmpty();
    }

    /**
     * One table or one query, loaded into one table.
     *
     * @param table the table to read, or empty for a query
     * @param query a SELECT whose rows are the resource's items, or empty for a table
     * @param includedColumns the table's columns to read; empty: all
     */
    public record SqlResource(String name, String tableName, Optional<String> table, Optional<String> query,
                              List<String> includedColumns, TableHints hints, Optional<IncrementalSpec> incremental)
            implements ResourceSpec {
        public SqlResource {
            requireNonNull(name, "name is null");
            requireNonNull(tableName, "tableName is null");
            requireNonNull(table, "table is null");
            requireNonNull(query, "query is null");
            includedColumns = List.copyOf(includedColumns);
            requireNonNull(hints, "hints is null");
            requireNonNull(incremental, "incremental is null");
            if (table.isPresent() == query.isPresent()) {
                throw new IllegalArgumentException("resource " + name + " needs a table or a query, not both");
            }
        }

        /** This resource with other hints: a source that reads the column types from the database declares them. */
        public SqlResource withHints(TableHints newHints) {
            return new SqlResource(name, tableName, table, query, includedColumns, newHints, incremental);
        }
    }
}
