package io.sluice.catalog;

import java.time.Instant;

/** Where the audit trail of the API's changing calls is kept. */
public interface AuditStore {
    void appendAuditEvent(AuditEvent event);

    /** The events the filter matches, newest first. */
    Page<AuditEvent> auditEvents(AuditFilter filter, int pageSize, String pageToken);

    /** Forgets the events older than {@code time}; how many it removed. */
    int deleteAuditEventsBefore(Instant time);
}
