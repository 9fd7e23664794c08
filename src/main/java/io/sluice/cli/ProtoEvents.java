package io.sluice.cli;

import io.sluice.api.v1.RunEvent;
import io.sluice.api.v1.RunSummary;
import java.time.Duration;

/** Shows run events received through the gRPC API. */
final class ProtoEvents {
    private ProtoEvents() {
    }

    static void show(RunEvent event, ProgressPrinter printer) {
        switch (event.getKindCase()) {
            case SNAPSHOT -> printer.run(event.getSnapshot().getRun().getId(), event.getSnapshot().getRun().getPipeline(),
                    event.getSnapshot().getRun().getState().name());
            case STATE_CHANGE -> printer.state(event.getStateChange().getFrom().name(), event.getStateChange().getTo().name(),
                    event.getStateChange().getReason());
            case PROGRESS -> printer.progress(event.getProgress().getTable(), event.getProgress().getStage().name(),
                    event.getProgress().getRows(), event.getProgress().getBytes(), event.getProgress().getRowsPerSecond(),
                    duration(event.getProgress().getElapsed()), event.getProgress().getTotalBytes());
            case LOG -> printer.log(event.getLog().getLevel().name(), event.getLog().getMessage());
            case SUMMARY -> summary(event.getSummary(), printer);
            case KIND_NOT_SET -> {
            }
        }
    }

    private static void summary(RunSummary summary, ProgressPrinter printer) {
        printer.summary(
                summary.getTablesList().stream().map(table -> new ProgressPrinter.TableRows(table.getTable(), table.getRows())).toList(),
                summary.getStagesList().stream()
                        .map(stage -> new ProgressPrinter.StageTime(stage.getStage().name(), duration(stage.getElapsed()))).toList(),
                summary.getRows(), summary.getBytes(), duration(summary.getElapsed()));
    }

    static Duration duration(com.google.protobuf.Duration duration) {
        return Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
    }
}
