package io.sluice.catalog;

/** The stages of a run. */
public enum Stage {
    EXTRACT,
    NORMALIZE,
    LOAD
}
