package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged {@code bin/sluice run}, once in a real pseudo-terminal (util-linux {@code script} gives it one) and once
 * in a pipe: live lines redrawn with cursor movement in the first, plain lines in the second.
 */
class ProgressTerminalIT {
    private static final Path SCRIPT = Path.of("/usr/bin/script");
    private static final long DEADLINE_SECONDS = 120;

    @Test
    void inAPseudoTerminalTheProgressIsRedrawnInPlace() throws Exception {
        assumeTrue(Files.isExecutable(SCRIPT), "util-linux script is not installed: no way to give the command a pseudo-terminal");
        Path data = Files.createTempDirectory("progress-pty");
        String command = "bin/sluice run -f " + pipeline(data);
        String output = run(data, List.of(SCRIPT.toString(), "-qefc", command, "/dev/null"));
        assertTrue(output.contains("\u001b[") && output.contains("F\u001b[J"), "cursor movement redraws the live lines: " + output);
        assertTrue(output.contains("stage "), "a stage line: " + output);
        assertTrue(output.contains("Rows loaded per table:"), output);
    }

    @Test
    void inAPipeTheProgressIsPlainLines() throws Exception {
        Path data = Files.createTempDirectory("progress-pipe");
        String output = run(data, List.of("bin/sluice", "run", "-f", pipeline(data).toString()));
        assertFalse(output.contains("\u001b"), "no escape codes in a pipe: " + output);
        assertTrue(output.contains("Rows loaded per table:") && output.contains("customers"), output);
    }

    private static Path pipeline(Path data) throws IOException {
        Path file = data.resolve("progress.yaml");
        Files.writeString(file, """
                name: progress
                source: { filesystem: { base_path: "%s", resources: [ { name: customers, glob: customers.csv } ] } }
                destination: { duckdb: { path: progress.duckdb }, dataset: raw }
                """.formatted(Path.of("deploy/samples").toAbsolutePath()));
        return file;
    }

    private static String run(Path data, List<String> command) throws Exception {
        Path output = data.resolve("output.txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectOutput(output.toFile());
        builder.environment().put("SLUICE_JAVA_OPTS", "-Dsluice.data-dir=" + data);
        Process process = builder.start();
        if (!process.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertFalse(process.isAlive(), "sluice run ended within " + DEADLINE_SECONDS + "s: " + text);
        assertEquals(0, process.exitValue(), text);
        return text;
    }
}
