package io.sluice.cli;

import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check pipeline files without a server; exit 1 when any has a problem.")
class ValidateCommand implements Callable<Integer> {
    @Option(names = {"-f", "--file"}, required = true, description = "A pipeline file, or a directory of them.")
    Path path;

    @Override
    public Integer call() {
        List<Path> files = SpecFiles.under(path);
        if (files.isEmpty()) {
            System.err.println("no pipeline files (.yaml, .yml, .json) under " + path);
            return 1;
        }
        Map<String, Path> names = new HashMap<>();
        int invalid = 0;
        for (Path file : files) {
            try {
                PipelineSpec spec = PipelineSpecs.read(file);
                Path other = names.putIfAbsent(spec.name(), file);
                if (other != null) {
                    System.err.println(file + ": name: pipeline '" + spec.name() + "' is also defined in " + other);
                    invalid++;
                    continue;
                }
                System.out.println("ok      " + file + " (" + spec.name() + ")");
            } catch (InvalidSpecException e) {
                invalid++;
                System.err.println("invalid " + e.origin() + ":");
                e.problems().forEach(problem -> System.err.println("  " + problem));
            }
        }
        return invalid == 0 ? 0 : 1;
    }
}
