package io.sluice.load;

/** A listener that passes on to {@link #listener} all it hears, but for what it overrides. */
interface ForwardingLoadListener extends LoadListener {
    LoadListener listener();

    @Override
    default void jobStarted(LoadPackage loadPackage, LoadPackages.LoadJob job) {
        listener().jobStarted(loadPackage, job);
    }

    @Override
    default void jobCompleted(LoadPackage loadPackage, LoadPackages.LoadJob job) {
        listener().jobCompleted(loadPackage, job);
    }

    @Override
    default void commitStarted(LoadPackage loadPackage) {
        listener().commitStarted(loadPackage);
    }

    @Override
    default void fileLoaded(String table, long rows, long bytes) {
        listener().fileLoaded(table, rows, bytes);
    }

    @Override
    default void committing(LoadPackage loadPackage, long rows) {
        listener().committing(loadPackage, rows);
    }
}
