package io.sluice.cli;

import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** Builds the {@code sluice} command line with only the command an invocation names, so it does not pay for the others. */
final class CommandLines {
    private CommandLines() {
    }

    /**
     * picocli inspects every command class it is given before it parses anything (reflection over fields, methods and
     * their types, one bean each): a one-shot run paid that for the ten commands it does not run (bench/RESULTS-perf.md).
     * Help, version, completion and anything that names no command get the whole tree, so what they print is unchanged.
     */
    static CommandLine forArguments(CommandLine.IFactory factory, String... args) {
        Command sluice = SluiceCommand.class.getAnnotation(Command.class);
        Optional<Class<?>> named = args.length == 0 ? Optional.empty()
                : Arrays.stream(sluice.subcommands()).filter(command -> named(command, args[0])).findFirst();
        if (named.isEmpty() || named.get() == CompletionCommand.class) {
            // The completion script covers every command, so it needs them all.
            return new CommandLine(new SluiceCommand(), factory);
        }
        CommandSpec root = CommandSpec.create().name(sluice.name()).version(sluice.version())
                .mixinStandardHelpOptions(sluice.mixinStandardHelpOptions());
        root.usageMessage().description(sluice.description());
        root.addSubcommand(args[0], new CommandLine(named.get(), factory));
        return new CommandLine(root, factory);
    }

    private static boolean named(Class<?> command, String name) {
        Command annotation = command.getAnnotation(Command.class);
        return annotation.name().equals(name) || Arrays.asList(annotation.aliases()).contains(name);
    }
}
