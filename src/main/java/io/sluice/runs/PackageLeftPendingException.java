package io.sluice.runs;

import io.sluice.load.LoadPackages;

/**
 * A run failed and left a sealed load package uncommitted: its message names the package, where it is, and the
 * commands that commit or discard it; the cause is why it failed.
 */
final class PackageLeftPendingException extends RuntimeException {
    PackageLeftPendingException(LoadPackages.PendingPackage pending, Throwable cause) {
        super("load package " + pending.loadId() + " (" + pending.rows() + " rows) stays pending at " + pending.directory()
                + "; the pipeline's next run commits it first, or commit it now with `sluice pipelines packages retry "
                + pending.pipeline() + " " + pending.loadId() + "`, or throw it away with `sluice pipelines packages discard "
                + pending.pipeline() + " " + pending.loadId() + "`", cause);
    }
}
