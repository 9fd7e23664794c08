package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The frames the printer draws: redrawn in place on a terminal, plain lines anywhere else. */
class ProgressPrinterTest {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @Test
    void onATerminalTheStageAndTableLinesAreRedrawnInPlace() {
        ProgressPrinter printer = new ProgressPrinter(new PrintStream(output, true, StandardCharsets.UTF_8), true);
        printer.progress("events", "EXTRACT", 1_000, 4_096, 500, Duration.ofSeconds(2), 0);
        assertEquals("stage extract, 1 table(s), 2.0s\n"
                + "extract  events                          1,000 rows    4.0 KiB        500 rows/s    2.0s\n", text());

        output.reset();
        printer.progress("customers", "EXTRACT", 10, 100, 10, Duration.ofSeconds(1), 200);
        String frame = text();
        assertTrue(frame.startsWith("\u001b[2F\u001b[J"), "moves up over the two lines drawn and erases them: " + frame);
        assertTrue(frame.contains("stage extract, 2 table(s), 1.0s\n") && frame.contains("customers"), frame);
        assertTrue(frame.contains("[############------------]  50%"), "a bar where the total is known: " + frame);

        output.reset();
        printer.log("INFO", "halfway");
        assertTrue(text().startsWith("\u001b[3F\u001b[JINFO  halfway\nstage extract"), "a log line goes above the live lines");

        output.reset();
        printer.summary(List.of(new ProgressPrinter.TableRows("events", 1_000, 0, 0)),
                List.of(new ProgressPrinter.StageTime("EXTRACT", Duration.ofSeconds(2))), 1_000, 4_096, Duration.ofSeconds(2));
        String summary = text();
        assertTrue(summary.startsWith("\u001b[3F\u001b[J\nRows loaded per table:\n  events"), "the live lines give way: " + summary);
        assertTrue(summary.contains("  stage extract ") && summary.contains("total"), summary);
    }

    @Test
    void elsewhereProgressIsPlainLines() {
        ProgressPrinter printer = new ProgressPrinter(new PrintStream(output, true, StandardCharsets.UTF_8), false);
        printer.progress("events", "EXTRACT", 1_000, 4_096, 500, Duration.ofSeconds(2), 0);
        printer.progress("events", "EXTRACT", 2_000, 8_192, 500, Duration.ofSeconds(4), 0);
        printer.summary(List.of(new ProgressPrinter.TableRows("events", 2_000, 0, 0)), List.of(), 2_000, 8_192, Duration.ofSeconds(4));
        String text = text();
        assertFalse(text.contains("\u001b"), "no escape codes in a log: " + text);
        assertTrue(text.startsWith("extract  events                          1,000 rows"), text);
        assertTrue(text.contains("extract  events                          2,000 rows"), "the last count held back shows at the end: " + text);
        assertFalse(text.contains("stage extract,"), "no stage line: each line names its stage");
    }

    private String text() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
