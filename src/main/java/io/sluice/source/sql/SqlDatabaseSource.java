package io.sluice.source.sql;

import io.sluice.pipeline.ResourceSpec;
import io.sluice.pipeline.SqlDatabaseSourceSpec;
import io.sluice.pipeline.SqlDatabaseSourceSpec.SqlResource;
import io.sluice.schema.Naming;
import io.sluice.schema.TableHints;
import io.sluice.source.CsvCopies;
import io.sluice.source.IncrementalWindow;
import io.sluice.source.ItemSink;
import io.sluice.source.Source;
import io.sluice.source.SourceState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Reads tables and queries of a PostgreSQL, MariaDB/MySQL or DuckDB database over JDBC. At the start of each
 * extraction it lists the tables the spec's patterns pick and asks the database the type of every column, which it
 * declares, so nothing is inferred; then each resource streams on a connection of its own, a chunk of rows at a time,
 * only the rows of its incremental window when its cursor is a column. It keeps no source state: the cursor is the
 * engine's. A PostgreSQL resource whose columns are all of the types {@link CopiedRows} copies goes to a sink that takes
 * copies as PostgreSQL's own CSV text, through COPY, rather than as typed rows.
 */
public final class SqlDatabaseSource implements Source {
    private final SqlDatabaseSourceSpec spec;
    private final Database database;
    /** What each resource reads, in resource order, as the last {@link #resolve} found it. */
    private volatile Map<String, Relation> relations = Map.of();

    private SqlDatabaseSource(SqlDatabaseSourceSpec spec, Database database) {
        this.spec = spec;
        this.database = database;
    }

    /**
     * @param secrets resolves the password secret the spec names
     */
    public static SqlDatabaseSource open(SqlDatabaseSourceSpec spec, UnaryOperator<String> secrets) {
        return new SqlDatabaseSource(spec, new Database(Dialect.of(spec.url()), spec.url(), spec.username(),
                spec.passwordSecret().map(secrets)));
    }

    @Override
    public List<String> resources() {
        return relations.isEmpty() ? spec.resources().stream().map(SqlResource::name).toList() : List.copyOf(relations.keySet());
    }

    @Override
    public List<? extends ResourceSpec> resolve(List<? extends ResourceSpec> declared) {
        DatabaseCall<Map<String, Relation>> call = DatabaseCall.start("sql-resolve", listing -> {
            List<SqlResource> resources = new ArrayList<>(declared.stream().map(SqlResource.class::cast).toList());
            Connection connection = listing.connect(database);
            String readSchema = spec.schema().isPresent() ? spec.schema().get() : database.dialect().defaultSchema(connection);
            if (spec.discovers()) {
                resources.addAll(discovered(connection, readSchema, resources));
            }
            Map<String, Relation> found = new LinkedHashMap<>();
            for (SqlResource resource : resources) {
                found.put(resource.name(), relation(connection, readSchema, resource));
            }
            return Collections.unmodifiableMap(found);
        });
        try {
            relations = call.result("listing the tables of " + database.address());
            return relations.values().stream().map(Relations::typed).toList();
        } catch (SQLException e) {
            throw SqlFailures.of("cannot list the tables of " + database.address(), e);
        }
    }

    @Override
    public void extract(String resource, Optional<IncrementalWindow> window, SourceState state, ItemSink sink) {
        Relation relation = relations.get(resource);
        if (relation == null) {
            throw new IllegalArgumentException("no resource " + resource + " was resolved");
        }
        try {
            Optional<CsvCopies> copies = sink.csvCopies();
            if (copies.isPresent() && CopiedRows.copies(database.dialect(), relation, Relations.typed(relation).hints())
                    && CopiedRows.copy(database, relation, copies.get(), sink::bytesRead)) {
                return;
            }
            RowItems.read(relation, reading -> {
                Connection connection = reading.connect(database);
                PreparedStatement statement = reading.inFlight(WindowedSelect.prepare(connection, database.dialect(), relation, window));
                database.dialect().stream(connection, statement, spec.chunkSize());
                return statement.executeQuery();
            }, sink);
        } catch (SQLException e) {
            throw SqlFailures.of("cannot read " + relation.description() + " of " + database.address(), e);
        }
    }

    @Override
    public long totalBytes(String resource) {
        return 0;
    }

    /** The tables the patterns pick that no resource names: each a resource of its own, with the default hints. */
    private List<SqlResource> discovered(Connection connection, String readSchema, List<SqlResource> declared) throws SQLException {
        Set<String> named = declared.stream().flatMap(resource -> resource.table().stream()).collect(Collectors.toSet());
        Set<String> names = declared.stream().map(SqlResource::name).collect(Collectors.toSet());
        Set<String> tables = declared.stream().map(SqlResource::tableName).collect(Collectors.toSet());
        return TableDiscovery.tables(connection, database.dialect(), readSchema, new TablePatterns(spec.include(), spec.exclude()))
                .stream()
                .filter(table -> !named.contains(table) && !names.contains(table) && !tables.contains(Naming.snakeCase(table)))
                .map(table -> new SqlResource(table, Naming.snakeCase(table), Optional.of(table), Optional.empty(), List.of(),
                        TableHints.DEFAULT, Optional.empty()))
                .toList();
    }

    private Relation relation(Connection connection, String readSchema, SqlResource resource) {
        try {
            return Relations.of(connection, database.dialect(), readSchema, resource);
        } catch (SQLException e) {
            throw SqlFailures.of("cannot read " + Relations.describe(readSchema, resource) + " of " + database.address(), e);
        }
    }
}
