package io.sluice.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The catalog in SQL that DuckDB and PostgreSQL both speak: one store per concern over one datasource, behind the
 * one {@link CatalogStore} the service injects.
 */
public final class JdbcCatalogStore implements CatalogStore {
    private final CatalogSql sql;
    private final PipelineStore pipelines;
    private final RunStore runs;
    private final RunEventStore events;
    private final DiscardedPackageStore discarded;
    private final ApiKeyStore apiKeys;
    private final ScheduleStore schedules;
    private final AuditStore audit;
    private final RunLogStore logs;
    private final RunHistoryStore history;

    public JdbcCatalogStore(DataSource dataSource) {
        this.sql = new CatalogSql(dataSource);
        this.pipelines = new JdbcPipelines(sql);
        this.runs = new JdbcRuns(sql);
        this.events = new JdbcRunEvents(sql);
        this.discarded = new JdbcDiscardedPackages(sql);
        this.apiKeys = new JdbcApiKeys(sql);
        this.schedules = new JdbcSchedules(sql);
        this.audit = new JdbcAuditEvents(sql);
        this.logs = new JdbcRunLogs(sql);
        this.history = new JdbcRunHistory(sql);
    }

    /** Creates the catalog tables that do not exist yet. */
    public void migrate() {
        CatalogTables.migrate(sql);
    }

    @Override
    public void insertPipeline(PipelineRecord pipeline) {
        pipelines.insertPipeline(pipeline);
    }

    @Override
    public Optional<PipelineRecord> pipeline(String name) {
        return pipelines.pipeline(name);
    }

    @Override
    public List<PipelineRecord> pipelines(Collection<String> names) {
        return pipelines.pipelines(names);
    }

    @Override
    public Page<PipelineRecord> pipelines(int pageSize, String pageToken) {
        return pipelines.pipelines(pageSize, pageToken);
    }

    @Override
    public boolean replacePipeline(PipelineRecord pipeline, String expectedEtag) {
        return pipelines.replacePipeline(pipeline, expectedEtag);
    }

    @Override
    public boolean deletePipeline(String name) {
        return pipelines.deletePipeline(name);
    }

    @Override
    public Run insertRun(Run run, String owner, List<StoredEvent> events) {
        return runs.insertRun(run, owner, events);
    }

    @Override
    public void updateRun(Run run) {
        runs.updateRun(run);
    }

    @Override
    public void storeRunChanges(Optional<Run> changed, List<StoredEvent> events, List<StoredLogLine> logLines) {
        runs.storeRunChanges(changed, events, logLines);
    }

    @Override
    public boolean reopenRun(Run reopened, RunState from, String owner) {
        return runs.reopenRun(reopened, from, owner);
    }

    @Override
    public boolean markResumed(String runId, String resumedBy) {
        return runs.markResumed(runId, resumedBy);
    }

    @Override
    public Optional<Run> run(String id) {
        return runs.run(id);
    }

    @Override
    public Optional<Run> runByRequestId(String pipeline, String requestId) {
        return runs.runByRequestId(pipeline, requestId);
    }

    @Override
    public Page<Run> runs(RunFilter filter, int pageSize, String pageToken) {
        return runs.runs(filter, pageSize, pageToken);
    }

    @Override
    public List<OwnedRun> unfinishedRuns() {
        return runs.unfinishedRuns();
    }

    @Override
    public void insertDiscardedPackage(DiscardedPackage discarded) {
        this.discarded.insertDiscardedPackage(discarded);
    }

    @Override
    public List<DiscardedPackage> discardedPackages(String pipeline) {
        return discarded.discardedPackages(pipeline);
    }

    @Override
    public void appendEvent(StoredEvent event) {
        events.appendEvent(event);
    }

    @Override
    public List<StoredEvent> events(String runId) {
        return events.events(runId);
    }

    @Override
    public void insertApiKey(StoredApiKey key) {
        apiKeys.insertApiKey(key);
    }

    @Override
    public Optional<StoredApiKey> apiKey(String id) {
        return apiKeys.apiKey(id);
    }

    @Override
    public List<StoredApiKey> apiKeys() {
        return apiKeys.apiKeys();
    }

    @Override
    public Optional<StoredApiKey> revokeApiKey(String id, Instant time) {
        return apiKeys.revokeApiKey(id, time);
    }

    @Override
    public Map<String, Map<String, Instant>> marks(Collection<String> pipelines) {
        return schedules.marks(pipelines);
    }

    @Override
    public List<Run> scheduledRuns(Collection<String> pipelines) {
        return schedules.scheduledRuns(pipelines);
    }

    @Override
    public List<String> duePipelines(Instant now, int most) {
        return schedules.duePipelines(now, most);
    }

    @Override
    public Optional<Instant> nextDue(Instant now) {
        return schedules.nextDue(now);
    }

    @Override
    public void markDue(String pipeline, String etag, Optional<Instant> due) {
        schedules.markDue(pipeline, etag, due);
    }

    @Override
    public void forgetDue(String pipeline) {
        schedules.forgetDue(pipeline);
    }

    @Override
    public void storeLooks(List<ScheduleLook> looks, String owner) {
        schedules.storeLooks(looks, owner);
    }

    @Override
    public boolean holdTickTerm(String holder, Instant now, Duration term) {
        return schedules.holdTickTerm(holder, now, term);
    }

    @Override
    public void releaseTickTerm(String holder) {
        schedules.releaseTickTerm(holder);
    }

    @Override
    public boolean claimScheduled(String runId, String owner) {
        return schedules.claimScheduled(runId, owner);
    }

    @Override
    public Set<String> claimScheduled(Collection<String> runIds, String owner) {
        return schedules.claimScheduled(runIds, owner);
    }

    @Override
    public void appendAuditEvent(AuditEvent event) {
        audit.appendAuditEvent(event);
    }

    @Override
    public Page<AuditEvent> auditEvents(AuditFilter filter, int pageSize, String pageToken) {
        return audit.auditEvents(filter, pageSize, pageToken);
    }

    @Override
    public int deleteAuditEventsBefore(Instant time) {
        return audit.deleteAuditEventsBefore(time);
    }

    @Override
    public void appendLogLine(StoredLogLine line) {
        logs.appendLogLine(line);
    }

    @Override
    public Page<StoredLogLine> logLines(String runId, int pageSize, String pageToken) {
        return logs.logLines(runId, pageSize, pageToken);
    }

    @Override
    public long lastLogLineSequence(String runId) {
        return logs.lastLogLineSequence(runId);
    }

    @Override
    public int deleteLogLinesOfRunsEndedBefore(Instant time) {
        return history.deleteLogLinesOfRunsEndedBefore(time);
    }

    @Override
    public int deleteRunsEndedBefore(Instant time) {
        return history.deleteRunsEndedBefore(time);
    }
}
