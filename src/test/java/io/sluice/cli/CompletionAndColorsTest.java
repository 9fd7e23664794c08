package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Shell completion generated from the commands, and colors only for a terminal without NO_COLOR. */
class CompletionAndColorsTest {
    @Test
    void completionScriptsKnowEveryCommandAndOption() {
        String bash = completion("bash");
        assertTrue(bash.contains("complete -F _complete_sluice") && bash.contains("apply") && bash.contains("diff")
                && bash.contains("--prune") && bash.contains("--selector"), bash);
        assertTrue(bash.contains("elif [ -n \"$ZSH_VERSION\" ]") && bash.contains("bashcompinit"), "zsh runs it through bashcompinit");
        assertEquals(bash, completion("zsh"));
        assertEquals(2, new CommandLine(new SluiceCommand()).execute("completion", "fish"), "only bash and zsh");
    }

    @Test
    void colorsOnlyOnATerminalAndNeverWithNoColor() {
        assertTrue(Colors.decide(Map.of(), true).enabled());
        assertEquals("\u001b[32m+ create a\u001b[0m", Colors.decide(Map.of(), true).green("+ create a"));
        assertFalse(Colors.decide(Map.of("NO_COLOR", "1"), true).enabled());
        assertTrue(Colors.decide(Map.of("NO_COLOR", ""), true).enabled(), "no-color.org: only a non-empty value counts");
        assertFalse(Colors.decide(Map.of(), false).enabled(), "a pipe or a log gets no escape codes");
        assertEquals("- delete b", Colors.decide(Map.of(), false).red("- delete b"));
    }

    private static String completion(String shell) {
        PrintStream out = System.out;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
            assertEquals(0, new CommandLine(new SluiceCommand()).execute("completion", shell));
            return output.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(out);
        }
    }
}
