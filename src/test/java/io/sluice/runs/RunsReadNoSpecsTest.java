package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A run starts from the validated spec the registry keeps ({@code PipelineRegistry.spec}); none of the run
 * package's classes can parse or validate a spec, so a trigger cannot read the stored JSON again.
 */
class RunsReadNoSpecsTest {
    private static final List<String> SPEC_READERS = List.of("io/sluice/pipeline/PipelineSpecs", "io/sluice/pipeline/SpecReader");

    @Test
    void noClassOfTheRunPackageReferencesTheSpecReaders() throws Exception {
        Path classes = Path.of(RunExecutor.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("io/sluice/runs");
        List<Path> files;
        try (Stream<Path> walk = Files.list(classes)) {
            files = walk.filter(file -> file.toString().endsWith(".class")).toList();
        }
        assertFalse(files.isEmpty(), "no classes under " + classes);
        for (Path file : files) {
            // A class names every class it uses in its constant pool, as UTF-8 internal names.
            String constants = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            assertEquals(List.of(), SPEC_READERS.stream().filter(constants::contains).toList(), file.getFileName().toString());
        }
    }
}
