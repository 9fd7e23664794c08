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
     * @throws LoadException when a job or the commit failed; the package keeps its completed jobs for the next attempt,
     *     and why it failed
     */
    public static void load(OwnedPackage owned, Destination destination, LoadListener listener) {
        try {
            loadJobsAndCommit(owned, destination, listener);
        } catch (RuntimeException e) {
            owned.loadFailed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            throw e;
        }
    }

    private static void loadJobsAndCommit(OwnedPackage owned, Destination destination, LoadListener listener) {
        // Its jobs are found where they are whenever asked, so the one package value serves every job and the commit.
        LoadPackage loadPackage = owned.sealed().orElseThrow(() -> new IllegalStateException("load package "
                + owned.directory() + " is not sealed"));
        for (LoadPackages.LoadJob job : loadPackage.jobs()) {
            if (job.state() == LoadPackages.JobState.COMPLETED && destination.jobLoaded(loadPackage, job)) {
                continue;
            }
            listener.jobStarted(loadPackage, job);
            owned.move(job, LoadPackages.JobState.STARTED);
            try {
                destination.loadJob(loadPackage, job);
            } catch (LoadException e) {
                // A job that may succeed later stays started, and is loaded again by the next attempt.
                if (!e.transientFailure()) {
                    owned.fail(job, e.getMessage());
                }
                throw e;
            }
            owned.move(job, LoadPackages.JobState.COMPLETED);
        }
        destination.commit(loadPackage, listener);
    }
}
