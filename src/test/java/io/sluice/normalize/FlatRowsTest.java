package io.sluice.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.schema.ColumnHint;
import io.sluice.schema.ContractMode;
import io.sluice.schema.DataType;
import io.sluice.schema.Detection;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.Naming;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.SchemaChange;
import io.sluice.schema.SchemaContract;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableHints;
import io.sluice.schema.WriteDisposition;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Rows handed as value arrays normalize exactly as the same rows handed as items: files, schema, changes and counts. */
class FlatRowsTest {
    private static final List<String> COLUMNS = List.of("id", "name", "amount", "active", "created_at", "price", "extra", "doc");

    @TempDir
    Path directory;

    private static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {1L, "one", 1.5, true, "2024-01-01T00:00:00Z", new BigDecimal("2.50"), 7L, null});
        rows.add(new Object[] {2L, null, null, false, "2024-01-01T00:00:03Z", new BigDecimal("1.125"), 2.5, null});
        // A value its declared column cannot hold, a bad timestamp, a decimal too fine for the scale: contract's business.
        rows.add(new Object[] {"three", "three", 3L, null, "not a time", new BigDecimal("1.12345"), "text", null});
        // A nested value: the row goes as an item.
        rows.add(new Object[] {4L, "four \"quoted\"", 4.0, true, null, null, null, Map.of("a", List.of(1, 2))});
        rows.add(new Object[] {5L, "2024-05-01", -0.0, true, "2024-01-01T00:00:09Z", BigDecimal.ZERO, 9L, List.of("x")});
        return rows;
    }

    @ParameterizedTest
    @EnumSource(value = ContractMode.class, names = {"EVOLVE", "DISCARD_ROW", "DISCARD_VALUE"})
    void rowsNormalizeAsTheirItemsDo(ContractMode dataType) throws IOException {
        TableHints hints = new TableHints(WriteDisposition.APPEND, List.of(), List.of(), List.of(
                column("id", DataType.BIGINT, 0, 0), column("name", DataType.TEXT, 0, 0), column("amount", DataType.DOUBLE, 0, 0),
                column("active", DataType.BOOL, 0, 0), column("created_at", DataType.TIMESTAMP, 0, 0),
                column("price", DataType.DECIMAL, 10, 2), column("doc", DataType.JSON, 0, 0)),
                TableHints.DEFAULT_NESTING_DEPTH, new SchemaContract(ContractMode.EVOLVE, ContractMode.EVOLVE, dataType),
                EnumSet.of(Detection.ISO_TIMESTAMP, Detection.ISO_DATE), ReplaceStrategy.TRUNCATE_AND_INSERT,
                new MergeStrategy.DeleteInsert());
        Run asItems = run("items", hints, true);
        Run asRows = run("rows", hints, false);
        assertEquals(asItems.changes, asRows.changes);
        assertEquals(asItems.normalized.tables(), asRows.normalized.tables());
        assertEquals(asItems.normalized.counts(), asRows.normalized.counts());
        assertEquals(asItems.normalized.files().size(), asRows.normalized.files().size());
        for (int i = 0; i < asItems.normalized.files().size(); i++) {
            TableFile items = asItems.normalized.files().get(i);
            TableFile rows = asRows.normalized.files().get(i);
            assertEquals(items.rows(), rows.rows());
            assertEquals(items.columns(), rows.columns());
            assertEquals(Files.readString(items.file()), Files.readString(rows.file()), items.table());
        }
    }

    private record Run(NormalizedResource normalized, List<String> changes) {
    }

    private Run run(String name, TableHints hints, boolean asItems) throws IOException {
        List<String> changes = new ArrayList<>();
        NormalizeListener listener = new NormalizeListener() {
            @Override
            public void schemaChanged(SchemaChange change) {
                changes.add(change.toString());
            }

            @Override
            public void dropped(String table, String origin, String reason) {
                changes.add(table + " " + origin + " " + reason);
            }
        };
        Path folder = Files.createDirectory(directory.resolve(name));
        try (ResourceNormalizer normalizer = new ResourceNormalizer("things", "things", hints, List.of(), new Naming(63), folder,
                "load-1", listener)) {
            List<Object[]> rows = rows();
            if (asItems) {
                for (int i = 0; i < rows.size(); i++) {
                    int at = i;
                    normalizer.add(item(rows.get(i)), () -> "row " + at);
                }
            } else {
                normalizer.addRows(COLUMNS, rows.subList(0, 2), at -> "row " + at);
                normalizer.addRows(COLUMNS, rows.subList(2, rows.size()), at -> "row " + (at + 2));
            }
            return new Run(normalizer.finish(), changes);
        }
    }

    private static Map<String, Object> item(Object[] row) {
        Map<String, Object> item = new LinkedHashMap<>();
        for (int i = 0; i < row.length; i++) {
            item.put(COLUMNS.get(i), row[i]);
        }
        return item;
    }

    private static ColumnHint column(String name, DataType type, int precision, int scale) {
        return new ColumnHint(name, Optional.of(type), Optional.empty(), false, precision, scale, false, false, Optional.empty());
    }
}
