package io.sluice.catalog;

import java.util.List;

/** Where the record of load packages an operator threw away is kept. */
public interface DiscardedPackageStore {
    void insertDiscardedPackage(DiscardedPackage discarded);

    /** The pipeline's discarded load packages, latest first. */
    List<DiscardedPackage> discardedPackages(String pipeline);
}
