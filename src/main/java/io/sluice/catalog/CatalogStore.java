package io.sluice.catalog;

/**
 * Where pipelines, runs, run events and log lines, discarded packages, API keys, schedule marks and the audit trail are
 * kept, one interface per concern. Implementations must be safe for concurrent use; writes that compare an etag do so
 * atomically.
 */
public interface CatalogStore extends PipelineStore, RunStore, RunEventStore, DiscardedPackageStore, ApiKeyStore, ScheduleStore,
        AuditStore, RunLogStore, RunHistoryStore {
}
