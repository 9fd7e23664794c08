package io.sluice.load;

/**
 * Loads a sealed package: each job not yet completed goes new → started → completed (or failed, with why), then the
 * package is committed in one transaction. A job completed by an earlier attempt is not loaded again, unless the
 * destination lost what it staged.
 */
public final class PackageLoader {
    private PackageLoader() {
    }

    /**
     * @throws LoadException when a job or the commit failed; the package keeps its completed jobs for the next attempt
     */
    public static void load(LoadPackages.OwnedPackage owned, Destination destination, LoadListener listener) {
        LoadPackage loadPackage = owned.sealed().orElseThrow(() -> new IllegalStateException("load package "
                + owned.directory() + " is not sealed"));
        for (LoadPackages.LoadJob job : owned.jobs()) {
            if (job.state() == LoadPackages.JobState.COMPLETED && destination.jobLoaded(loadPackage, job)) {
                continue;
            }
            listener.jobStarted(loadPackage, job);
            LoadPackages.LoadJob started = owned.move(job, LoadPackages.JobState.STARTED);
            try {
                destination.loadJob(loadPackage, started);
            } catch (LoadException e) {
                // A job that may succeed later stays started, and is loaded again by the next attempt.
                if (!e.transientFailure()) {
                    owned.fail(started, e.getMessage());
                }
                throw e;
            }
            owned.move(started, LoadPackages.JobState.COMPLETED);
        }
        // Read again: the jobs' files are in completed_jobs/ now, where a destination that reads them will look.
        destination.commit(owned.sealed().orElseThrow(), listener);
    }
}
