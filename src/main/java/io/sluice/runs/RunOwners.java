package io.sluice.runs;

import java.util.Optional;

/**
 * Who executes runs. Every process that executes runs is an owner with an id of its own and holds a lease that ends
 * when it dies; a run is stored with its owner's id, and crash recovery ends only the runs whose owner is provably
 * gone. A file lock in the data directory is the lease of processes that share a data directory; replicas sharing
 * a PostgreSQL catalog would hold a lease row they renew instead.
 */
interface RunOwners {
    /** This process's owner id; it holds its lease from the first call until it exits. */
    String self();

    /**
     * Why {@code owner} is provably gone (its lease ended), or empty while it is alive, or may be. An empty owner is
     * a run stored before runs had owners: nothing can hold it, so it counts as gone.
     */
    Optional<String> gone(String owner);
}
