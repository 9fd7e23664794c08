package io.sluice.cli;

import io.sluice.proto.v1.ListRunLogsRequest;
import io.sluice.proto.v1.ListRunLogsResponse;
import io.sluice.proto.v1.LogLine;
import io.sluice.proto.v1.RunEvent;
import io.sluice.proto.v1.RunServiceGrpc;
import io.sluice.proto.v1.WatchRunRequest;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice runs logs RUN_ID}: the log lines a run stored, or with {@code --follow} its lines as they come. */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show a run's log lines; with --follow, then its new lines until it ends.")
class RunLogsCommand extends RunsCommand.Client {
    private static final int PAGE_SIZE = 1000;

    @Parameters(paramLabel = "RUN_ID")
    String runId;

    @Option(names = {"-f", "--follow"}, description = "Keep showing new lines as the run writes them, until it ends.")
    boolean follow;

    @Mixin
    OutputOption output;

    @Override
    int call(RunServiceGrpc.RunServiceBlockingStub runs) {
        if (follow) {
            // A watch replays the lines stored so far before the live ones, each once.
            Iterator<RunEvent> events = runs.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build());
            events.forEachRemaining(event -> {
                if (event.getKindCase() == RunEvent.KindCase.LOG) {
                    show(event);
                }
            });
            return 0;
        }
        String pageToken = "";
        do {
            ListRunLogsResponse page = runs.listRunLogs(ListRunLogsRequest.newBuilder().setRunId(runId).setPageSize(PAGE_SIZE)
                    .setPageToken(pageToken).build());
            page.getLinesList().forEach(this::show);
            pageToken = page.getNextPageToken();
        } while (!pageToken.isEmpty());
        return 0;
    }

    /** One line of text, or with {@code -o json} the event as one JSON document a line. */
    private void show(RunEvent event) {
        if (!output.printedAsJsonLine(event)) {
            System.out.println(text(event));
        }
    }

    static String text(RunEvent event) {
        LogLine line = event.getLog();
        Instant time = Instant.ofEpochSecond(event.getTime().getSeconds(), event.getTime().getNanos());
        return String.format(Locale.ROOT, "%s %-5s %s%s", time, line.getLevel().name(),
                line.getLogger().isEmpty() ? "" : "[" + line.getLogger() + "] ", line.getMessage());
    }
}
