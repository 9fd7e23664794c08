package io.sluice.load;

import io.sluice.pipeline.DestinationCapabilities;

/**
 * Loads a sealed package: each job not yet completed goes new → started → completed (or failed, with why), then the
 * package is committed in one transaction. A job completed by an earlier attempt is not loaded again, unless the
 * destination lost what it staged. A destination that copies the jobs inside its commit moves them there, and a commit
 * that fails takes them all back to new: nothing of them outlived it.
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
        switch (destination.capabilities().staging()) {
            case IN_PLACE -> {
                loadJobs(owned, destination, listener, loadPackage);
                destination.commit(loadPackage, listener);
            }
            case IN_COMMIT -> commitCopyingJobs(owned, destination, listener, loadPackage);
        }
    }

    private static void loadJobs(OwnedPackage owned, Destination destination, LoadListener listener, LoadPackage loadPackage) {
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
    }

    /**
     * The commit loads every job, whatever state an earlier attempt left it in ({@link DestinationCapabilities.Staging#IN_COMMIT}),
     * and moves it as it goes; when it fails, the jobs it moved go back to new, as its transaction took their rows back.
     * One that dies leaves them where they were: the next attempt loads them all again anyway.
     */
    private static void commitCopyingJobs(OwnedPackage owned, Destination destination, LoadListener listener, LoadPackage loadPackage) {
        try {
            destination.commit(loadPackage, new MovingJobs(owned, listener));
        } catch (RuntimeException e) {
            try {
                for (LoadPackages.LoadJob job : loadPackage.jobs()) {
                    if (job.state() != LoadPackages.JobState.NEW) {
                        owned.move(job, LoadPackages.JobState.NEW);
                    }
                }
            } catch (RuntimeException moving) {
                e.addSuppressed(moving);
            }
            throw e;
        }
    }

    /** Moves each job of the package as the commit loads it, and tells {@code listener}. */
    private record MovingJobs(OwnedPackage owned, LoadListener listener) implements ForwardingLoadListener {
        @Override
        public void jobStarted(LoadPackage loadPackage, LoadPackages.LoadJob job) {
            listener.jobStarted(loadPackage, job);
            owned.move(job, LoadPackages.JobState.STARTED);
        }

        @Override
        public void jobCompleted(LoadPackage loadPackage, LoadPackages.LoadJob job) {
            owned.move(job, LoadPackages.JobState.COMPLETED);
            listener.jobCompleted(loadPackage, job);
        }
    }
}
