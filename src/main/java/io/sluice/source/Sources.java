package io.sluice.source;

import io.sluice.pipeline.FilesystemSourceSpec;
import io.sluice.pipeline.SourceSpec;

/** Opens the source a spec declares. */
public final class Sources {
    private Sources() {
    }

    public static Source open(SourceSpec spec) {
        return switch (spec) {
            case FilesystemSourceSpec filesystem -> new FilesystemSource(filesystem);
        };
    }
}
