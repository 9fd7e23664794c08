package io.sluice.schema;

/** The columns Sluice adds to every table: normalize writes the row ids, the load adds the load id. */
public final class SystemColumns {
    public static final String ID = "_sluice_id";
    public static final String PARENT_ID = "_sluice_parent_id";
    public static final String LIST_INDEX = "_sluice_list_idx";
    public static final String ROOT_ID = "_sluice_root_id";
    public static final String LOAD_ID = "_sluice_load_id";

    private SystemColumns() {
    }
}
