package io.sluice.load;

import static java.util.Objects.requireNonNull;

import io.sluice.schema.TableFile;
import java.util.List;

/** What a run seals into its package: the files normalize staged in it, and what its commit does. */
public record PackageContents(String dataset, List<TableFile> stagedFiles, CommitPlan commit) {
    public PackageContents {
        requireNonNull(dataset, "dataset is null");
        stagedFiles = List.copyOf(stagedFiles);
        requireNonNull(commit, "commit is null");
    }
}
