package io.sluice.load;

/**
 * The progress of a commit that may be tried again: each staged file's rows reach the listener once, however many tries
 * load them, so a commit tried twice does not count its rows twice. A try loads the files in the package's order, so
 * the n-th file a try loads is the n-th of every other try.
 */
final class RetriedCommitProgress implements ForwardingLoadListener {
    private final LoadListener listener;
    /** Files whose rows the listener heard of, over all tries; and files loaded by the try under way. */
    private int reported;
    private int loaded;

    RetriedCommitProgress(LoadListener listener) {
        this.listener = listener;
    }

    @Override
    public LoadListener listener() {
        return listener;
    }

    /** The commit starts over: its files are loaded again from the first. */
    void nextTry() {
        loaded = 0;
    }

    @Override
    public void fileLoaded(String table, long rows, long bytes) {
        if (loaded++ == reported) {
            reported++;
            listener.fileLoaded(table, rows, bytes);
        }
    }
}
