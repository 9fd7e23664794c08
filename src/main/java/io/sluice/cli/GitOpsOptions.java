package io.sluice.cli;

import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.LabelSelector;
import io.sluice.pipeline.SpecReader;
import io.sluice.proto.v1.ListPipelinesRequest;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/** What {@code apply} and {@code diff} compare: a directory of pipeline files against the service, and how far a prune reaches. */
class GitOpsOptions {
    @Option(names = {"-f", "--file"}, required = true, description = "A pipeline file, or a directory of them.")
    Path path;

    @Option(names = "--prune", description = "Delete registered pipelines that no file defines (only those matching --selector).")
    boolean prune;

    @Option(names = {"-l", "--selector"}, defaultValue = "", converter = SelectorConverter.class,
            description = "Labels, key=value[,key=value…], that scope the prune; every file's pipeline must carry them.")
    LabelSelector selector;

    /** The plan, or empty when a file cannot be read, two files define one pipeline, or a file's pipeline is outside the selector (each printed). */
    Optional<Plan> plan(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines) {
        Map<String, Plan.Desired> desired = new TreeMap<>();
        List<Path> files = SpecFiles.under(path);
        if (files.isEmpty()) {
            System.err.println("no pipeline files (.yaml, .yml, .json) under " + path);
            return Optional.empty();
        }
        int problems = 0;
        for (Path file : files) {
            try {
                Pipeline pipeline = SpecReader.read(file);
                Plan.Desired other = desired.putIfAbsent(pipeline.getName(), new Plan.Desired(pipeline, file));
                if (other != null) {
                    System.err.println(file + ": name: pipeline '" + pipeline.getName() + "' is also defined in " + other.file());
                    problems++;
                } else if (!selector.matches(pipeline.getLabelsMap())) {
                    System.err.println(file + ": labels: pipeline '" + pipeline.getName() + "' does not carry the selector's labels ("
                            + selector + "), so a later prune could not see it");
                    problems++;
                }
            } catch (InvalidSpecException e) {
                ProblemReport.print(e);
                problems++;
            }
        }
        if (problems > 0) {
            System.err.println("nothing changed: " + problems + " problem(s) in the files");
            return Optional.empty();
        }
        return Optional.of(Plan.between(desired, registered(pipelines), prune, selector));
    }

    private static List<Pipeline> registered(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines) {
        List<Pipeline> all = new ArrayList<>();
        String token = "";
        do {
            var page = pipelines.listPipelines(ListPipelinesRequest.newBuilder().setPageSize(1000).setPageToken(token).build());
            all.addAll(page.getPipelinesList());
            token = page.getNextPageToken();
        } while (!token.isEmpty());
        return all;
    }
}
