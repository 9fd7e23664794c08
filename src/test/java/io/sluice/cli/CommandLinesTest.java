package io.sluice.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line built for one named command behaves as the whole tree does for that command. */
class CommandLinesTest {
    private static final CommandLine WHOLE = new CommandLine(new SluiceCommand());

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        CommandLine line = CommandLines.forArguments(CommandLine.defaultFactory(), "run", "-f", "tiny.yaml");
        assertEquals(Set.of("run"), line.getSubcommands().keySet());
        assertArrayEquals(WHOLE.getCommandSpec().version(), line.getCommandSpec().version());
    }

    @Test
    void noCommandAnUnknownOneAndCompletionGetTheWholeTree() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"-V"}, new String[] {"rnu"},
                new String[] {"completion", "bash"})) {
            assertEquals(WHOLE.getSubcommands().keySet(),
                    CommandLines.forArguments(CommandLine.defaultFactory(), args).getSubcommands().keySet(), String.join(" ", args));
        }
    }

    @Test
    void everyCommandPrintsTheSameHelpAndTheSameErrorsAsInTheWholeTree() {
        for (String command : WHOLE.getSubcommands().keySet()) {
            for (String[] args : List.of(new String[] {command, "--help"}, new String[] {command, "--no-such-option"})) {
                assertEquals(execute(new CommandLine(new SluiceCommand()), args),
                        execute(CommandLines.forArguments(CommandLine.defaultFactory(), args), args), String.join(" ", args));
            }
        }
    }

    /** The exit code, standard output and standard error of a command that fails before it calls anything. */
    private static String execute(CommandLine line, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exitCode = line.execute(args);
        return exitCode + "\n" + out + "\n" + err;
    }
}
