package io.sluice.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The folders the tests keep files in. The build points the JVM's temporary folder ({@code java.io.tmpdir}) into
 * {@code target/}, so that what a test leaves goes with the build; it is made as the test session opens, before any test
 * asks for a temporary file. The test servers' binaries and data stay in the machine's temporary folder
 * ({@code io.sluice.testing.servers}), where every checkout and the benchmark unpack them once.
 */
public final class TestFolders implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the tests' temporary folder", e);
        }
    }

    /** Where the test servers' binaries are unpacked and their data kept: the machine's temporary folder. */
    static Path servers() {
        return Path.of(System.getProperty("io.sluice.testing.servers", System.getProperty("java.io.tmpdir")));
    }
}
