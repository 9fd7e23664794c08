package io.sluice.normalize;

import io.sluice.schema.SchemaChange;

/** Hears what normalizing changes and refuses. Called from the normalizing thread. */
public interface NormalizeListener {
    void schemaChanged(SchemaChange change);

    /** A source record that could not be read, or a row or value a discard contract dropped. */
    void dropped(String table, String origin, String reason);
}
