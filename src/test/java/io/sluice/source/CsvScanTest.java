package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.pipeline.FilesystemSourceSpec.CsvOptions;
import io.sluice.schema.Detection;
import io.sluice.schema.ScannedCsv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Which CSV files are copied whole, and what a copy holds: the file's bytes, each line with its row's id in front. */
class CsvScanTest {
    private static final Set<Detection> DETECTIONS = Set.of(Detection.ISO_TIMESTAMP);

    /** Takes every file it is offered; a row's id is "id" and its number. */
    private static final class Taking implements CsvCopies {
        final Path directory;
        final List<ScannedCsv> taken = new ArrayList<>();
        int copies;

        Taking(Path directory) {
            this.directory = directory;
        }

        @Override
        public Path newCopy() {
            return directory.resolve("copy-" + copies++ + ".csv");
        }

        @Override
        public int rowId(long row, byte[] into) {
            byte[] id = ("id" + row).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(id, 0, into, 0, id.length);
            return id.length;
        }

        @Override
        public boolean take(ScannedCsv file, Supplier<String> origin) {
            taken.add(file);
            return true;
        }
    }

    @Test
    void aCleanFileIsCopiedWithItsRowIdsInFrontAndItsFieldsFirstValues() throws IOException {
        Path directory = Files.createTempDirectory("csv-scan");
        Taking copies = new Taking(directory);
        Path file = Files.writeString(directory.resolve("rows.csv"), "id,name,note,empty\r\n7,\"a, b\",\"x\"\"y\nz\",\r\n8,c,,\r\n");

        assertEquals(true, CsvScan.copy(file, "rows.csv", CsvOptions.DEFAULT, DETECTIONS, copies));

        ScannedCsv scanned = copies.taken.getFirst();
        assertEquals(List.of("id", "name", "note", "empty"), scanned.fields());
        assertEquals(Arrays.asList(7L, "a, b", "x\"y\nz", null), scanned.firstValues());
        assertEquals(List.of(0, 1, 2), scanned.firstSeen());
        assertEquals(2, scanned.rows());
        assertEquals("_sluice_id,id,name,note,empty\r\nid0,7,\"a, b\",\"x\"\"y\nz\",\r\nid1,8,c,,\r\n", Files.readString(scanned.copy()));
    }

    @Test
    void aFileTheTwoReadersCouldReadApartIsNotCopiedAndItsCopyIsRemoved() throws IOException {
        Path directory = Files.createTempDirectory("csv-scan");
        for (String text : List.of(
                "id,name\n1,a\n2,b,c\n",          // a row with more fields than the header
                "id,name\n1,a\n2\n",              // fewer
                "id,name\n1,a\n\n2,b\n",          // an empty line
                "id,amount\n1,3\n2,3.5\n",        // a column of two types
                "id,name\n\"1\",a\n",             // a quoted number
                "id,name\n1,\"\"\n",              // a quoted empty field
                "id,name\n1,a\"b\n",              // a quote inside a field
                "id,name\n1,\"a\"b\n",            // text after a closing quote
                "id,name\n1,\"a\n",               // a quote never closed
                "id,name\r1,a\r",                 // lone carriage returns
                "id,name\r\n1,a\n2,b\r\n",          // line ends of both kinds
                "id,big\n1,12345678901234567890\n", // a wide integer
                "id,exact\n1,0.12345678901234567\n", // an exact decimal
                "id,huge\n1,1e400\n",             // a double out of range
                "id,tiny\n1,0.0\n2,1e-400\n",    // one too small, zero to the normal path, refused by PostgreSQL
                "\uFEFFid,name\n1,a\n",           // a byte-order mark
                "id,id\n1,2\n",                   // a name twice
                "id,name\n",                      // no rows
                "id,name\n1,\u0661\u0662\n")) {   // digits of another script, a number to the normal path
            Taking copies = new Taking(directory);
            Path file = Files.writeString(directory.resolve("rows.csv"), text);
            assertEquals(false, CsvScan.copy(file, "rows.csv", CsvOptions.DEFAULT, DETECTIONS, copies), text);
            assertFalse(Files.exists(directory.resolve("copy-0.csv")), text);
        }
        Path invalid = Files.write(directory.resolve("bad.csv"), new byte[] {'i', 'd', '\n', (byte) 0xC3, '\n'});
        assertEquals(false, CsvScan.copy(invalid, "bad.csv", CsvOptions.DEFAULT, DETECTIONS, new Taking(directory)), "invalid UTF-8");
    }

    @Test
    void onlyDialectsWhoseCharactersCannotBePartOfAnIdOrALineBreakAreCopied() {
        assertEquals(true, CsvScan.copies(CsvOptions.DEFAULT));
        assertEquals(true, CsvScan.copies(new CsvOptions('\t', false, '"', Optional.empty(), StandardCharsets.US_ASCII)));
        assertEquals(false, CsvScan.copies(new CsvOptions('_', true, '"', Optional.empty(), StandardCharsets.UTF_8)));
        assertEquals(false, CsvScan.copies(new CsvOptions(',', true, '"', Optional.empty(), StandardCharsets.ISO_8859_1)));
    }
}
