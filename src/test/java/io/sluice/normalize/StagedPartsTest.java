package io.sluice.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sluice.schema.Column;
import io.sluice.schema.DataType;
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
        int rows = (int) (StagedParts.PART_SIZE >> 20) + 8;
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
            assertTrue(Files.size(file.file()) <= StagedParts.PART_SIZE + value.length() + 3, file.file() + " is too big");
        }
    }
}
