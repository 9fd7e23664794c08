package io.sluice.runs;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.OwnedRun;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
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

    CrashedRuns(CatalogStore store, RunOwners owners) {
        this.store = store;
        this.owners = owners;
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
            RunChannel channel = RunChannel.continuing(run, store, 0, RunObserver.NONE);
            crashed.add(channel.change(current -> current.ended(RunState.CRASHED, CatalogTime.now(), reason, current.summary()), reason));
            channel.end();
            LOG.warnf("run %s of pipeline %s was left %s: %s; marked CRASHED", run.id(), run.pipeline(), run.state(), gone.get());
        }
        return crashed;
    }
}
