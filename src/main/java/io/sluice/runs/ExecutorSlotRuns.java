package io.sluice.runs;

import io.sluice.catalog.CatalogException;
import io.sluice.catalog.Run;
import io.sluice.catalog.ScheduleStore;
import io.sluice.catalog.Trigger;
import io.sluice.pipeline.PipelineSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Starts the runs of a tick's due slots in the executor: the SCHEDULED runs waiting for them claimed in one catalog
 * write (a claim each cost a commit, and with many slots due at once the commits made them late), then each launched.
 */
final class ExecutorSlotRuns implements Scheduler.SlotRuns {
    private static final Logger LOG = Logger.getLogger(ExecutorSlotRuns.class);

    private final RunExecutor executor;
    private final ScheduleStore store;
    private final RunOwners owners;

    ExecutorSlotRuns(RunExecutor executor, ScheduleStore store, RunOwners owners) {
        this.executor = executor;
        this.store = store;
        this.owners = owners;
    }

    @Override
    public Run start(String pipeline, String requestId) {
        return executor.trigger(pipeline, requestId, Trigger.SCHEDULE, Optional.empty());
    }

    @Override
    public Set<String> claim(List<Run> scheduled) {
        try {
            return store.claimScheduled(scheduled.stream().map(Run::id).toList(), owners.self());
        } catch (CatalogException conflict) {
            // DuckDB fails a write that meets another process's claim of one of the runs: each is claimed on its own instead.
            LOG.debugf(conflict, "the SCHEDULED runs of due slots were not claimed at once; each is claimed on its own");
            return Set.of();
        }
    }

    @Override
    public Run startClaimed(PipelineSpec spec, Run claimed) {
        return executor.startClaimed(spec, claimed);
    }
}
