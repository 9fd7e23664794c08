package io.sluice.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;
import io.sluice.schema.StagedCsv;
import io.sluice.schema.TableFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagedPartsTest {
    /** DuckDB's CSV reader holds a whole staged file in memory: a table's rows are cut into parts of bounded size. */
    @Test
    void aPartEndsOnceItHoldsThePartSize() throws Exception {
        Path directory = Files.createTempDirectory("staged-parts");
        String value = "x".repeat(1 << 20);
        int rows = (int) (StagedCsv.PART_SIZE >> 20) + 8;
        List<TableFile> files;
        try (StagedParts parts = new StagedParts("items", directory)) {
            for (int row = 0; row < rows; row++) {
                parts.write(new Object[] {value}, 1);
            }
            files = parts.finish(List.of(new Column("text", DataType.TEXT)));
        }
        assertEquals(2, files.size(), files.toString());
        assertEquals(rows, files.stream().mapToLong(TableFile::rows).sum());
        for (TableFile file : files) {
            assertTrue(Files.size(file.file()) <= StagedCsv.PART_SIZE + value.length() + 3, file.file() + " is too big");
        }
    }

    /**
     * The load makes a table from the columns of its last file, in their order: after files a worker staged, each with the
     * columns of its own rows in the order it met them, an empty file with all of them in the table's order follows.
     */
    @Test
    void theLastFileHasEveryColumn() throws Exception {
        Path directory = Files.createTempDirectory("staged-parts");
        Column id = new Column("id", DataType.TEXT);
        Column a = new Column("a", DataType.BIGINT);
        Column b = new Column("b", DataType.TEXT);
        Path adopted = Files.writeString(directory.resolve("items.p1.0.csv"), "x,y\n");
        List<TableFile> files;
        try (StagedParts parts = new StagedParts("items", directory)) {
            parts.write(new Object[] {"r1", 12345L}, 2);
            parts.write(new Object[] {"r2", 1L}, 2);
            parts.adopt(List.of(new TableFile("items", List.of(id, b), adopted, 1, 4)));
            files = parts.finish(List.of(id, a, b));
        }
        assertEquals(List.of(List.of(id, a), List.of(id, b), List.of(id, a, b)), files.stream().map(TableFile::columns).toList());
        assertEquals(List.of(11L, 4L, 0L), files.stream().map(TableFile::longestLine).toList(),
                "each part's longest line: \"r1\",12345 with its line end, the adopted file's own, none in the empty one");
        assertEquals(0, files.getLast().rows());
        assertEquals(0, Files.size(files.getLast().file()));

        try (StagedParts parts = new StagedParts("items", directory, "p2.")) {
            parts.write(new Object[] {"r1", 1L, "z"}, 3);
            parts.adopt(List.of(new TableFile("items", List.of(id, b, a), adopted, 1, 4)));
            files = parts.finish(List.of(id, a, b));
        }
        assertEquals(List.of(List.of(id, a, b), List.of(id, b, a), List.of(id, a, b)), files.stream().map(TableFile::columns).toList(),
                "every column, but not in the table's order: an empty file in its order follows");
        assertEquals(0, files.getLast().rows());

        try (StagedParts parts = new StagedParts("items", directory, "p3.")) {
            parts.adopt(List.of(new TableFile("items", List.of(id, b), adopted, 1, 4)));
            parts.write(new Object[] {"r1", 1L, "z"}, 3);
            files = parts.finish(List.of(id, a, b));
        }
        assertEquals(List.of(List.of(id, b), List.of(id, a, b)), files.stream().map(TableFile::columns).toList(),
                "the last file holds every column in order: nothing follows");
    }
}
