package io.sluice.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The {@code sluice} command. Every command boots the same application; only {@code serve} starts the HTTP server and
 * binds the service port, so one-shot commands (run, validate, the API clients) can run beside a server, start sooner,
 * and are quiet.
 */
@QuarkusMain
public class Main implements QuarkusApplication {
    private final CommandLine.IFactory factory;

    Main(CommandLine.IFactory factory) {
        this.factory = factory;
    }

    public static void main(String... args) {
        if (args.length == 0 || !args[0].equals("serve")) {
            // A one-shot command answers no calls: no HTTP listener at all. The gRPC server has no such switch at run
            // time (in-process needs an extension we do not ship), so it listens on a free port nobody is told of.
            setIfAbsent("quarkus.http.host-enabled", "false");
            setIfAbsent("quarkus.grpc.server.port", "0");
            setIfAbsent("quarkus.log.level", "WARN");
            setIfAbsent("sluice.runs.platform-threads", "true");
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        return CommandLines.forArguments(factory, args).execute(args);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
