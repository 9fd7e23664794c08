package io.sluice.catalog;

import static io.sluice.catalog.CatalogSql.instant;
import static io.sluice.catalog.CatalogSql.micros;

import java.util.List;

/** Discarded load packages in the catalog's SQL, the rows they held per table as JSON. */
final class JdbcDiscardedPackages implements DiscardedPackageStore {
    private final CatalogSql sql;

    JdbcDiscardedPackages(CatalogSql sql) {
        this.sql = sql;
    }

    @Override
    public void insertDiscardedPackage(DiscardedPackage discarded) {
        sql.update("INSERT INTO discarded_packages (pipeline, load_id, sealed_by_run, row_count, tables, discarded_by, reason,"
                        + " discard_time_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", discarded.pipeline(), discarded.loadId(),
                discarded.sealedByRun(), discarded.rows(), CatalogJson.writeTables(discarded.tables()), discarded.discardedBy(),
                discarded.reason(), micros(discarded.discardTime()));
    }

    @Override
    public List<DiscardedPackage> discardedPackages(String pipeline) {
        return sql.query("SELECT pipeline, load_id, sealed_by_run, row_count, tables, discarded_by, reason, discard_time_us"
                        + " FROM discarded_packages WHERE pipeline = ? ORDER BY discard_time_us DESC, load_id DESC", List.of(pipeline),
                row -> new DiscardedPackage(row.getString(1), row.getString(2), row.getString(3), row.getLong(4),
                        CatalogJson.readTables(row.getString(5)), row.getString(6), row.getString(7), instant(row.getLong(8))),
                "the discarded load packages of pipeline " + pipeline);
    }
}
