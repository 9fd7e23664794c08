package io.sluice.load;

/** Where load packages are committed. One instance serves one run. */
public interface Destination {
    /**
     * Loads every table file of the package and records the load, all in one transaction: either everything is
     * committed, or nothing is.
     *
     * @throws LoadException saying what could not be loaded and why
     */
    void load(LoadPackage loadPackage, LoadListener listener);

    /** Asks a load in progress to stop; it then throws and commits nothing. Safe from any thread. */
    void cancel();
}
