package io.sluice.cli;

import io.sluice.runs.RecordedEvent;
import io.sluice.runs.RunEvent;

/** Shows in-process run events (a one-shot run). */
final class DomainEvents {
    private DomainEvents() {
    }

    static void show(RecordedEvent recorded, ProgressPrinter printer) {
        switch (recorded.event()) {
            case RunEvent.Snapshot snapshot -> printer.run(snapshot.run().id(), snapshot.run().pipeline(), snapshot.run().state().name());
            case RunEvent.StateChanged change -> printer.state(change.from().name(), change.to().name(), change.reason());
            case RunEvent.TableProgress progress -> printer.progress(progress.table(), progress.stage().name(), progress.rows(),
                    progress.bytes(), progress.rowsPerSecond(), progress.elapsed(), progress.totalBytes());
            case RunEvent.LogLine line -> printer.log(line.level().name(), line.message());
            case RunEvent.SchemaChanged changed -> printer.schemaChange(SchemaChanges.describe(changed.change()));
            case RunEvent.Summary summary -> printer.summary(
                    summary.summary().tables().stream().map(table -> new ProgressPrinter.TableRows(table.table(), table.rows(),
                            table.discardedRows() + table.discardedValues() + table.rejectedRecords(), table.filteredRecords())).toList(),
                    summary.summary().stages().stream()
                            .map(stage -> new ProgressPrinter.StageTime(stage.stage().name(), stage.elapsed())).toList(),
                    summary.summary().rows(), summary.summary().bytes(), summary.summary().elapsed());
        }
    }
}
