package io.sluice.cli;

import com.google.protobuf.FieldMask;
import io.grpc.Channel;
import io.sluice.proto.v1.DeletePipelineRequest;
import io.sluice.proto.v1.GetPipelineRequest;
import io.sluice.proto.v1.ListPipelinesRequest;
import io.sluice.proto.v1.ListPipelinesResponse;
import io.sluice.proto.v1.Pipeline;
import io.sluice.proto.v1.PipelineServiceGrpc;
import io.sluice.proto.v1.UpdatePipelineRequest;
import io.sluice.pipeline.SpecReader;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pipelines", mixinStandardHelpOptions = true,
        description = "List, show and delete registered pipelines, pause and resume their schedules, and act on their pending"
                + " load packages.",
        subcommands = {PipelinesCommand.ListPipelines.class, PipelinesCommand.Get.class, PipelinesCommand.Delete.class,
            PipelinesCommand.Pause.class, PipelinesCommand.Resume.class, PackagesCommand.class})
class PipelinesCommand {

    abstract static class Client extends ServiceCommand<PipelineServiceGrpc.PipelineServiceBlockingStub> {
        @Override
        PipelineServiceGrpc.PipelineServiceBlockingStub stub(Channel channel) {
            return PipelineServiceGrpc.newBlockingStub(channel);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered pipelines.")
    static class ListPipelines extends Client {
        @Option(names = {"-l", "--selector"}, defaultValue = "", description = "Only pipelines with these labels: key=value[,key=value…].")
        String selector;

        @Mixin
        OutputOption output;

        @Override
        int call(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines) {
            ListPipelinesResponse.Builder all = ListPipelinesResponse.newBuilder();
            String token = "";
            do {
                var page = pipelines.listPipelines(ListPipelinesRequest.newBuilder().setPageToken(token).setLabelSelector(selector).build());
                all.addAllPipelines(page.getPipelinesList());
                token = page.getNextPageToken();
            } while (!token.isEmpty());
            if (!output.printedAsJson(all)) {
                all.getPipelinesList().forEach(pipeline -> System.out.println(pipeline.getName()
                        + (pipeline.getDescription().isEmpty() ? "" : "  " + pipeline.getDescription())
                        + (pipeline.getLabelsCount() == 0 ? "" : "  " + labels(pipeline))));
            }
            return 0;
        }

        private static String labels(Pipeline pipeline) {
            return pipeline.getLabelsMap().entrySet().stream().map(label -> label.getKey() + "=" + label.getValue()).sorted()
                    .collect(Collectors.joining(","));
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a pipeline's spec as JSON.")
    static class Get extends Client {
        @Parameters(paramLabel = "PIPELINE")
        String name;

        @Mixin
        OutputOption output;

        @Override
        int call(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines) {
            Pipeline pipeline = pipelines.getPipeline(GetPipelineRequest.newBuilder().setName(name).build());
            if (!output.printedAsJson(pipeline)) {
                System.out.println(SpecReader.toJson(pipeline));
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a pipeline; its runs stay in history.")
    static class Delete extends Client {
        @Parameters(paramLabel = "PIPELINE")
        String name;

        @Override
        int call(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines) {
            pipelines.deletePipeline(DeletePipelineRequest.newBuilder().setName(name).build());
            System.out.println("deleted " + name);
            return 0;
        }
    }

    /** Sets a pipeline's schedules_paused, and nothing else of it (an update with a field mask). */
    abstract static class SchedulesPaused extends Client {
        @Parameters(paramLabel = "PIPELINE")
        String name;

        abstract boolean paused();

        @Override
        int call(PipelineServiceGrpc.PipelineServiceBlockingStub pipelines) {
            pipelines.updatePipeline(UpdatePipelineRequest.newBuilder()
                    .setPipeline(Pipeline.newBuilder().setName(name).setSchedulesPaused(paused()))
                    .setUpdateMask(FieldMask.newBuilder().addPaths("schedules_paused"))
                    .build());
            System.out.println((paused() ? "paused the schedules of " : "resumed the schedules of ") + name);
            return 0;
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = "Pause a pipeline's schedules: no scheduled run starts, and slots that pass are skipped.")
    static class Pause extends SchedulesPaused {
        @Override
        boolean paused() {
            return true;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Resume a pipeline's schedules from their next slot; slots that passed while paused are not made up for.")
    static class Resume extends SchedulesPaused {
        @Override
        boolean paused() {
            return false;
        }
    }
}
