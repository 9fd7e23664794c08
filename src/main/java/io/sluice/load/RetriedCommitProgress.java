package io.sluice.load;

/**
 * The progress of a commit that may be tried again: each staged file's rows reach the listener once, however many tries
 * load them, so a commit tried twice does not count its rows twice. A try loads the files in the package's order, so
 * the n-th file a try loads is the n-th of every other try.
 */
final class RetriedCommitProgress implements LoadListener {
    private final LoadListener listener;
    /** Files whose rows the listener heard of, over all tries; and files loaded by the try under way. */
    private int reported;
    private int loaded;

    RetriedCommitProgress(LoadListener listener) {
        this.listener = listener;
    }

    /** The commit starts over: its files are loaded again from the first. */
    void nextTry() {
        loaded = 0;
    }

    @Override
    public void jobStarted(LoadPackage loadPackage, LoadPackages.LoadJob job) {
        listener.jobStarted(loadPackage, job);
    }

    @Override
    public void jobCompleted(LoadPackage loadPackage, LoadPackages.LoadJob job) {
        listener.jobCompleted(loadPackage, job);
    }

    @Override
    public void commitStarted(LoadPackage loadPackage) {
        listener.commitStarted(loadPackage);
    }

    @Override
    public void fileLoaded(String table, long rows, long bytes) {
        if (loaded++ == reported) {
            reported++;
            listener.fileLoaded(table, rows, bytes);
        }
    }

    @Override
    public void committing(LoadPackage loadPackage, long rows) {
        listener.committing(loadPackage, rows);
    }
}
