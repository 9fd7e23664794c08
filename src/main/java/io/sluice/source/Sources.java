package io.sluice.source;

import io.sluice.pipeline.FilesystemSourceSpec;
import io.sluice.pipeline.RestApiSourceSpec;
import io.sluice.pipeline.SourceSpec;
import io.sluice.source.rest.RestApiSource;
import io.sluice.pipeline.SqlDatabaseSourceSpec;
import io.sluice.source.sql.SqlDatabaseSource;
import java.util.function.UnaryOperator;

/** Opens the source a spec declares. */
public final class Sources {
    private Sources() {
    }

    /**
     * @param secrets the value of a secret the spec names, by its name: the run resolves secrets and hands them in, so a
     *     source never reads where they are kept; throws for a secret that is not set
     * @param requests told of each request a source sends to a remote API
     */
    public static Source open(SourceSpec spec, UnaryOperator<String> secrets, RequestListener requests) {
        return switch (spec) {
            case FilesystemSourceSpec filesystem -> new FilesystemSource(filesystem);
            case RestApiSourceSpec restApi -> new RestApiSource(restApi, secrets, requests);
            case SqlDatabaseSourceSpec sqlDatabase -> SqlDatabaseSource.open(sqlDatabase, secrets);
        };
    }
}
