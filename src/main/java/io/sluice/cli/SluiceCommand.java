package io.sluice.cli;

import picocli.CommandLine.Command;

@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
        description = "Data ingestion pipelines: run them once, or serve them through the gRPC API.",
        subcommands = {
            ServeCommand.class,
            RunCommand.class,
            ValidateCommand.class,
            ApplyCommand.class,
            DiffCommand.class,
            CompletionCommand.class,
            RunsCommand.class,
            PipelinesCommand.class,
            DatasetsCommand.class,
            AuthCommand.class,
            AuditCommand.class
        })
class SluiceCommand {
}
