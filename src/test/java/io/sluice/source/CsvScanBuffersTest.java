package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sluice.pipeline.FilesystemSourceSpec.CsvOptions;
import io.sluice.schema.Detection;
import io.sluice.schema.ScannedCsv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Files longer than the scan's buffer: wherever a read ends (inside a plain or quoted field, on a delimiter, between a
 * carriage return and its line feed), the copy holds the file's bytes with each row's id in front, and a value the
 * file cannot be copied with is found however far in it is.
 */
class CsvScanBuffersTest {
    private static final Set<Detection> DETECTIONS = Set.of(Detection.ISO_TIMESTAMP);
    private static final int ROWS = 1_500;

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
        Path directory = Files.createTempDirectory("csv-scan-buffers");
        for (String lineEnd : List.of("\n", "\r\n")) {
            for (int shift = 0; shift < 48; shift++) {
                List<String> lines = lines(shift);
                Path file = Files.writeString(directory.resolve("rows.csv"), String.join(lineEnd, lines) + lineEnd);
                Taking copies = new Taking(directory);

                assertEquals(true, CsvScan.copy(file, "rows.csv", CsvOptions.DEFAULT, DETECTIONS, copies), "shift " + shift);

                ScannedCsv scanned = copies.taken.getFirst();
                assertEquals(ROWS, scanned.rows());
                StringBuilder expected = new StringBuilder("_sluice_id,").append(lines.getFirst()).append(lineEnd);
                for (int row = 0; row < ROWS; row++) {
                    expected.append("id").append(row).append(',').append(lines.get(row + 1)).append(lineEnd);
                }
                assertEquals(expected.toString(), Files.readString(scanned.copy()), "shift " + shift);
                Files.delete(scanned.copy());
            }
        }
    }

    @Test
    void aValueTheCopyCannotHoldIsFoundPastTheFirstRead() throws IOException {
        Path directory = Files.createTempDirectory("csv-scan-buffers");
        for (String bad : List.of("12x", "\"7\"", "1e400", "00501", "tru\"e", "12345678901234567890")) {
            for (int shift = 0; shift < 8; shift++) {
                List<String> lines = new ArrayList<>(lines(shift));
                String last = lines.getLast();
                lines.set(lines.size() - 1, bad + last.substring(last.indexOf(',')));
                Path file = Files.writeString(directory.resolve("rows.csv"), String.join("\n", lines) + "\n");
                Taking copies = new Taking(directory);

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
