package io.sluice.normalize;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The normalize rules as golden cases, without a server: each directory under {@code src/test/resources/normalize/}
 * is normalized by {@link NormalizeCase} and compared with its {@code expected/} files. After a deliberate change of
 * the rules, {@code -Dnormalize.golden.update=true} rewrites the expected files; review their diff before committing.
 */
class NormalizeCasesTest {
    private static final Path CASES = Path.of("src/test/resources/normalize");
    private static final boolean UPDATE = Boolean.getBoolean("normalize.golden.update");

    @TempDir
    Path staging;

    @TestFactory
    Stream<DynamicTest> goldenCases() throws IOException {
        List<Path> cases;
        try (Stream<Path> directories = Files.list(CASES)) {
            cases = directories.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(!cases.isEmpty(), "no cases under " + CASES.toAbsolutePath());
        return cases.stream().map(directory -> DynamicTest.dynamicTest(directory.getFileName().toString(),
                () -> check(directory)));
    }

    private void check(Path directory) throws IOException {
        Map<String, String> actual = new NormalizeCase(directory).actual(Files.createDirectories(staging.resolve(directory.getFileName())));
        Path expectedDirectory = directory.resolve("expected");
        if (UPDATE) {
            rewrite(expectedDirectory, actual);
            return;
        }
        Map<String, String> expected = read(expectedDirectory);
        List<String> problems = new ArrayList<>();
        for (String file : expected.keySet()) {
            if (!actual.containsKey(file)) {
                problems.add("expected/" + file + ": expected, but the normalizer made no such table");
            }
        }
        actual.forEach((file, text) -> {
            String wanted = expected.get(file);
            if (wanted == null) {
                problems.add("expected/" + file + ": not expected, but made:\n" + text);
            } else if (!wanted.equals(text)) {
                problems.add("expected/" + file + " differs (- expected, + actual):\n" + LineDiff.of(wanted, text));
            }
        });
        if (!problems.isEmpty()) {
            fail("case " + directory + ":\n" + String.join("\n", problems)
                    + "\n(run with -Dnormalize.golden.update=true to rewrite the expected files, then review their diff)");
        }
    }

    private static Map<String, String> read(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (Files.isDirectory(directory)) {
            try (Stream<Path> paths = Files.list(directory)) {
                for (Path file : paths.sorted().toList()) {
                    files.put(file.getFileName().toString(), Files.readString(file));
                }
            }
        }
        return files;
    }

    private static void rewrite(Path directory, Map<String, String> files) throws IOException {
        if (Files.isDirectory(directory)) {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
        Files.createDirectories(directory);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(directory.resolve(file.getKey()), file.getValue());
        }
    }
}
