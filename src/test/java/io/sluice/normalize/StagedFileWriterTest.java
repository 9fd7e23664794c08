package io.sluice.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedFileWriterTest {
    @TempDir
    Path directory;

    /** Every kind of value a row holds, as the loaders read the staged dialect: text quoted, NULL an empty field. */
    @Test
    void eachValueIsWrittenInTheStagedDialect() throws Exception {
        RowIds.Id id = new RowIds("load-1", "items").root(0);
        Object[] values = {id, null, "", "plain", "say \"hi\", then\nleave", "naïve ☃ 𝄞", true, false, 0L, -7L, Long.MIN_VALUE,
                Long.MAX_VALUE, 1.5, -0.0, 1e300, Double.NaN, Double.NEGATIVE_INFINITY, 4.9e-324, new BigDecimal("12.50"),
                new BigDecimal("1E+3"), 42, new BigInteger("123456789012345678901234567890"), 2.5f, Map.of("a", 1), List.of(1, "x"),
                new Values.Json("text"), new byte[] {0, (byte) 0xff}};
        String first = "\"" + id + "\",,\"\",\"plain\",\"say \"\"hi\"\", then\nleave\",\"naïve ☃ 𝄞\",true,false,0,-7,"
                + "-9223372036854775808,9223372036854775807,1.5,-0.0,1.0E300,NaN,-Infinity,4.9E-324,12.50,1000,42,"
                + "123456789012345678901234567890,2.5,\"{\"\"a\"\":1}\",\"[1,\"\"x\"\"]\",\"\"\"text\"\"\",\"\\x00\\xFF\",\n";
        Path file = directory.resolve("items.csv");
        try (StagedFileWriter writer = new StagedFileWriter(file)) {
            writer.writeRow(values, values.length + 1);
            writer.writeRow(new Object[] {"short"}, 1);
            assertEquals(first.getBytes(StandardCharsets.UTF_8).length, writer.longestLine(), "the longest line, with its line end");
            assertEquals((first + "\"short\"\n").getBytes(StandardCharsets.UTF_8).length, writer.written());
        }
        String expected = first + "\"short\"\n";
        assertEquals(expected, Files.readString(file, StandardCharsets.UTF_8));
    }

    /** A huge value's buffer is not kept for the rows after it, which are written as before. */
    @Test
    void aHugeValueLeavesTheRowsAfterItAsTheyWere() throws Exception {
        Path file = directory.resolve("items.csv");
        String huge = "x".repeat(3 << 20);
        try (StagedFileWriter writer = new StagedFileWriter(file)) {
            writer.writeRow(new Object[] {huge, 1L}, 2);
            writer.writeRow(new Object[] {"after", 2L}, 2);
            assertEquals(huge.length() + 5, writer.longestLine());
        }
        assertEquals("\"" + huge + "\",1\n\"after\",2\n", Files.readString(file));
    }
}
