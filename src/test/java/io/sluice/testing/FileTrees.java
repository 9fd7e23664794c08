package io.sluice.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing a directory and everything in it, for what the tests leave in the temporary directory. */
public final class FileTrees {
    private FileTrees() {
    }

    /** Removes {@code tree} (nothing when it is null or gone); a failure is told on standard error, not thrown. */
    public static void deleteQuietly(Path tree) {
        try {
            delete(tree);
        } catch (IOException e) {
            System.err.println("cannot remove " + tree + ": " + e);
        }
    }

    /** Removes {@code tree} (nothing when it is null or gone). */
    public static void delete(Path tree) throws IOException {
        if (tree == null || !Files.exists(tree)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(tree)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
