package io.sluice.runs;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.OwnedRun;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Finds the runs a process left unfinished when it died, which cannot go on: they end CRASHED, with a state change
 * saying why. Only runs whose owner is provably gone: another live process (a server beside a one-shot
 * {@code sluice run}) keeps its runs.
 */
final class CrashedRuns {
    private static final Logger LOG = Logger.getLogger(CrashedRuns.class);

    private final CatalogStore store;
    private final RunOwners owners;
    private final PipelineRegistry registry;
    private final RunObserver observer;

    /** @param observer told of each run ending CRASHED (metrics, alerts), as of every run's end */
    CrashedRuns(CatalogStore store, RunOwners owners, PipelineRegistry registry, RunObserver observer) {
        this.store = store;
        this.owners = owners;
        this.registry = registry;
        this.observer = observer;
    }

    /** @return the runs it ended CRASHED, oldest first */
    List<Run> mark() {
        List<Run> crashed = new ArrayList<>();
        for (OwnedRun unfinished : store.unfinishedRuns()) {
            Run run = unfinished.run();
            if (run.state() == RunState.SCHEDULED) {
                // Not started: whichever process's scheduler sees its slot come claims it.
                continue;
            }
            Optional<String> gone = owners.gone(unfinished.owner());
            if (gone.isEmpty()) {
                LOG.debugf("run %s of pipeline %s is %s in live process %s; left to it", run.id(), run.pipeline(), run.state(),
                        unfinished.owner());
                continue;
            }
            String reason = "the process running it stopped before it ended: " + gone.get();
            // Its events number on from those it stored before it died.
            RunChannel channel = RunChannel.continuing(run, spec(run.pipeline()), store, 0, Integer.MAX_VALUE, observer);
            crashed.add(channel.change(current -> current.ended(RunState.CRASHED, CatalogTime.now(), reason, current.summary()), reason));
            channel.end();
            LOG.warnf("run %s of pipeline %s was left %s: %s; marked CRASHED", run.id(), run.pipeline(), run.state(), gone.get());
        }
        return crashed;
    }

    /** The pipeline's spec, for the observers; empty when it was deleted or no longer validates (nothing to alert). */
    private Optional<PipelineSpec> spec(String pipeline) {
        try {
            return Optional.of(registry.spec(pipeline));
        } catch (NotFoundException | InvalidSpecException gone) {
            return Optional.empty();
        }
    }
}
