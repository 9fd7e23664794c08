package io.sluice.catalog;

/** How an audited call ended. */
public enum AuditOutcome {
    /** The call did what it asked. */
    OK,
    /** The caller's credential was missing or invalid, or its role or scope does not allow the call. */
    DENIED,
    /** The call was allowed but did not succeed (invalid, not found, a conflict, an error). */
    FAILED
}
