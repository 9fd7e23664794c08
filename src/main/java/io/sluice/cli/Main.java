package io.sluice.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import picocli.CommandLine;

/**
 * The {@code sluice} command. Every command boots the same application; only {@code serve} binds the service
 * port, so one-shot commands (run, validate, the API clients) can run beside a server, and are quiet.
 */
@QuarkusMain
public class Main implements QuarkusApplication {
    private final CommandLine.IFactory factory;

    Main(CommandLine.IFactory factory) {
        this.factory = factory;
    }

    public static void main(String... args) {
        if (args.length == 0 || !args[0].equals("serve")) {
            setIfAbsent("quarkus.http.port", "0");
            setIfAbsent("quarkus.grpc.server.port", "0");
            setIfAbsent("quarkus.log.level", "WARN");
        }
        Quarkus.run(Main.class, args);
    }

    @Override
    public int run(String... args) {
        return new CommandLine(new SluiceCommand(), factory).execute(args);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
