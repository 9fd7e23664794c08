package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.Optional;

/** How the rows of a MERGE load meet the rows their table already has. Sealed load packages keep it as JSON. */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(MergeStrategy.DeleteInsert.class),
    @JsonSubTypes.Type(MergeStrategy.Upsert.class),
    @JsonSubTypes.Type(MergeStrategy.Scd2.class)
})
public sealed interface MergeStrategy {
    /** Stored rows with a primary or merge key of the load are deleted, then the load's rows are inserted. */
    record DeleteInsert() implements MergeStrategy {
    }

    /** Stored rows with a primary key of the load are updated in place; rows with a new key are inserted. */
    record Upsert() implements MergeStrategy {
    }

    /**
     * Slowly changing dimension type 2: a record's versions are all kept, each valid from {@code validFrom} until
     * {@code validTo}; {@code validTo} of the active version is {@code activeValidTo} (empty: NULL). A version is
     * told apart by {@code rowVersion}, a column of the data, or else by the row hash Sluice computes. Versions are
     * retired and added at {@code boundary}, or else at the load's time.
     */
    record Scd2(String validFrom, String validTo, Optional<String> rowVersion, Optional<Instant> activeValidTo,
                Optional<Instant> boundary) implements MergeStrategy {
        public static final String VALID_FROM = "_sluice_valid_from";
        public static final String VALID_TO = "_sluice_valid_to";
        public static final String ROW_HASH = "_sluice_row_hash";

        public Scd2 {
            requireNonNull(validFrom, "validFrom is null");
            requireNonNull(validTo, "validTo is null");
            requireNonNull(rowVersion, "rowVersion is null");
            requireNonNull(activeValidTo, "activeValidTo is null");
            requireNonNull(boundary, "boundary is null");
            if (validFrom.equals(validTo)) {
                throw new IllegalArgumentException("validity columns are both named " + validFrom);
            }
        }

        /** The column compared to tell versions apart. */
        public String versionColumn() {
            return rowVersion.orElse(ROW_HASH);
        }

        /** This strategy with its boundary fixed, when none was given, at {@code loadTime}. */
        public Scd2 boundedAt(Instant loadTime) {
            return new Scd2(validFrom, validTo, rowVersion, activeValidTo, Optional.of(boundary.orElse(loadTime)));
        }
    }
}
