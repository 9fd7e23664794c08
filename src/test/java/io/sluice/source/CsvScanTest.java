package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.sluice.pipeline.FilesystemSourceSpec.CsvOptions;
import io.sluice.schema.AscendingIntegers;
import io.sluice.schema.Detection;
import io.sluice.schema.ScannedCsv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Which CSV files are copied whole, and what a copy holds: the file's bytes, each line with its row's id in front. */
class CsvScanTest {
    private static final Set<Detection> DETECTIONS = Set.of(Detection.ISO_TIMESTAMP);
    /** Rows enough for a file several times the scan's buffer. */
    private static final int ROWS = 1_500;


    @Test
    void aCleanFileIsCopiedWithItsRowIdsInFrontAndItsFieldsFirstValues() throws IOException {
        Path directory = Files.createTempDirectory("csv-scan");
        RecordingCopies copies = new RecordingCopies(directory, true);
        Path file = Files.writeString(directory.resolve("rows.csv"), "id,name,note,empty\r\n7,\"a, b\",\"x\"\"y\nz\",\r\n8,c,,\r\n");

        assertEquals(true, CsvScan.copy(file, "rows.csv", CsvOptions.DEFAULT, DETECTIONS, copies));

        ScannedCsv scanned = copies.taken.getFirst();
        assertEquals(List.of("id", "name", "note", "empty"), scanned.fields());
        assertEquals(Arrays.asList(7L, "a, b", "x\"y\nz", null), scanned.firstValues());
        assertEquals(List.of(0, 1, 2), scanned.firstSeen());
        assertEquals(2, scanned.rows());
        assertEquals("_sluice_id,id,name,note,empty\r\nid0,7,\"a, b\",\"x\"\"y\nz\",\r\nid1,8,c,,\r\n", Files.readString(scanned.copy()));
        assertEquals(31, scanned.longestLine(), "the copy's header line, its longest record with its line end");
    }

    @Test
    void theFieldsWhoseEveryRowHoldsAnIntegerGreaterThanTheRowsBeforeAreToldWithTheirFirstAndLast() throws IOException {
        Path directory = Files.createTempDirectory("csv-scan");
        RecordingCopies copies = new RecordingCopies(directory, true);
        StringBuilder text = new StringBuilder("id,signed,repeats,falls,gap,padded,name\n");
        for (int row = 0; row < ROWS; row++) {
            text.append(row * 3 + 10).append(',').append(row - 700).append(',').append(row / 2).append(',').append(ROWS - row).append(',')
                    .append(row == 900 ? "" : String.valueOf(row)).append(',').append(row == 5 ? "+5" : String.valueOf(row)).append(",n").append(row).append('\n');
        }
        Path file = Files.writeString(directory.resolve("rows.csv"), text);

        assertEquals(true, CsvScan.copy(file, "rows.csv", CsvOptions.DEFAULT, DETECTIONS, copies));

        // "padded": +5 is 5, after 4.
        assertEquals(Map.of("id", new AscendingIntegers(10, (ROWS - 1) * 3 + 10, ROWS), "signed", new AscendingIntegers(-700, ROWS - 701, ROWS),
                "padded", new AscendingIntegers(0, ROWS - 1, ROWS)), copies.taken.getFirst().ascending());
        assertEquals(List.of(false, true, true), Stream.of("id", "signed", "padded")
                .map(field -> copies.taken.getFirst().ascending().get(field).whole()).toList(), "every integer of the range, or not");
    }

    @Test
    void theFirstRowOfAFileWithoutAHeaderCountsTowardsItsAscendingFields() throws IOException {
        Path directory = Files.createTempDirectory("csv-scan");
        CsvOptions noHeader = new CsvOptions(',', false, '"', Optional.empty(), StandardCharsets.UTF_8);
        RecordingCopies copies = new RecordingCopies(directory, true);
        assertEquals(true, CsvScan.copy(Files.writeString(directory.resolve("a.csv"), "3,x\n2,y\n"), "a.csv", noHeader, DETECTIONS, copies));
        assertEquals(true, CsvScan.copy(Files.writeString(directory.resolve("b.csv"), "1,x\n2,y\n"), "b.csv", noHeader, DETECTIONS, copies));

        assertEquals(Map.of(), copies.taken.get(0).ascending());
        assertEquals(Map.of("column_1", new AscendingIntegers(1, 2, 2)), copies.taken.get(1).ascending());
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
            RecordingCopies copies = new RecordingCopies(directory, true);
            Path file = Files.writeString(directory.resolve("rows.csv"), text);
            assertEquals(false, CsvScan.copy(file, "rows.csv", CsvOptions.DEFAULT, DETECTIONS, copies), text);
            assertFalse(Files.exists(directory.resolve("copy-0.csv")), text);
        }
        Path invalid = Files.write(directory.resolve("bad.csv"), new byte[] {'i', 'd', '\n', (byte) 0xC3, '\n'});
        assertEquals(false, CsvScan.copy(invalid, "bad.csv", CsvOptions.DEFAULT, DETECTIONS, new RecordingCopies(directory, true)), "invalid UTF-8");
    }

    @Test
    void onlyDialectsWhoseCharactersCannotBePartOfAnIdOrALineBreakAreCopied() {
        assertEquals(true, CsvScan.copies(CsvOptions.DEFAULT));
        assertEquals(true, CsvScan.copies(new CsvOptions('\t', false, '"', Optional.empty(), StandardCharsets.US_ASCII)));
        assertEquals(false, CsvScan.copies(new CsvOptions('_', true, '"', Optional.empty(), StandardCharsets.UTF_8)));
        assertEquals(false, CsvScan.copies(new CsvOptions(',', true, '"', Optional.empty(), StandardCharsets.ISO_8859_1)));
    }

    /** The file's lines, the header's first name padded by {@code shift} characters so reads end elsewhere. */
    private static List<String> lines(int shift) {
        List<String> lines = new ArrayList<>();
        lines.add("id" + "x".repeat(shift) + ",name,amount,note,created_at,active,empty");
        for (int row = 0; row < ROWS; row++) {
            lines.add(row + ",name-" + row + "-" + "é".repeat(row % 3) + "," + row + "." + (row % 100) + ",\"a \"\"quoted\"\", "
                    + "long".repeat(row % 9) + "\nnote\",2024-01-01T00:00:" + String.format("%02d", row % 60) + "Z,"
                    + (row % 2 == 0) + ",");
        }
        return lines;
    }

    @Test
    void everyReadEndCopiesTheFileWithItsRowIds() throws IOException {
        Path directory = Files.createTempDirectory("csv-scan");
        for (String lineEnd : List.of("\n", "\r\n")) {
            for (int shift = 0; shift < 48; shift++) {
                List<String> lines = lines(shift);
                Path file = Files.writeString(directory.resolve("rows.csv"), String.join(lineEnd, lines) + lineEnd);
                RecordingCopies copies = new RecordingCopies(directory, true);

                assertEquals(true, CsvScan.copy(file, "rows.csv", CsvOptions.DEFAULT, DETECTIONS, copies), "shift " + shift);

                ScannedCsv scanned = copies.taken.getFirst();
                assertEquals(ROWS, scanned.rows());
                StringBuilder expected = new StringBuilder("_sluice_id,").append(lines.getFirst()).append(lineEnd);
                for (int row = 0; row < ROWS; row++) {
                    expected.append("id").append(row).append(',').append(lines.get(row + 1)).append(lineEnd);
                }
                assertEquals(expected.toString(), Files.readString(scanned.copy()), "shift " + shift);
                int longest = ("_sluice_id," + lines.getFirst() + lineEnd).getBytes(StandardCharsets.UTF_8).length;
                for (int row = 0; row < ROWS; row++) {
                    longest = Math.max(longest, ("id" + row + "," + lines.get(row + 1) + lineEnd).getBytes(StandardCharsets.UTF_8).length);
                }
                assertEquals(longest, scanned.longestLine(), "the longest record, a line break in a quoted field and all; shift " + shift);
                Files.delete(scanned.copy());
            }
        }
    }

    @Test
    void aValueTheCopyCannotHoldIsFoundPastTheFirstRead() throws IOException {
        Path directory = Files.createTempDirectory("csv-scan");
        for (String bad : List.of("12x", "\"7\"", "1e400", "00501", "tru\"e", "12345678901234567890")) {
            for (int shift = 0; shift < 8; shift++) {
                List<String> lines = new ArrayList<>(lines(shift));
                String last = lines.getLast();
                lines.set(lines.size() - 1, bad + last.substring(last.indexOf(',')));
                Path file = Files.writeString(directory.resolve("rows.csv"), String.join("\n", lines) + "\n");
                RecordingCopies copies = new RecordingCopies(directory, true);

                assertEquals(false, CsvScan.copy(file, "rows.csv", CsvOptions.DEFAULT, DETECTIONS, copies), bad);
                assertEquals(List.of(), copies.taken, bad);
                assertEquals(false, Files.exists(directory.resolve("copy-0.csv")), bad);
            }
        }
    }

    @Test
    void theCopysOutputTakesRunsLongerThanItsBuffer() throws IOException {
        Path copy = Files.createTempFile("copy-output", ".csv");
        byte[] run = new byte[100];
        for (int at = 0; at < run.length; at++) {
            run[at] = (byte) ('a' + at % 26);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (CopyOutput output = new CopyOutput(copy, 16)) {
            for (int count : List.of(3, 16, 100, 1, 13, 0, 15)) {
                output.write(run, 0, count);
                expected.write(run, 0, count);
                output.write((byte) ',');
                expected.write(',');
            }
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(copy));
    }
}
