package io.sluice.runs;

import static java.util.Objects.requireNonNull;

import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.DiscardedPackage;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunSummary;
import io.sluice.catalog.Trigger;
import io.sluice.load.LoadPackages;
import io.sluice.load.PackageInUseException;
import io.sluice.load.PackageNotFoundException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What an operator does with the load packages a registered pipeline's runs sealed but did not commit: see them, have
 * a run commit them now, or throw one away, which the catalog records.
 */
@ApplicationScoped
public class PendingPackages {
    private static final Logger LOG = Logger.getLogger(PendingPackages.class);

    private final CatalogStore store;
    private final PipelineRegistry registry;
    private final RunExecutor executor;
    private final LoadPackages packages;

    PendingPackages(CatalogStore store, PipelineRegistry registry, RunExecutor executor, SluiceConfig config) {
        this.store = store;
        this.registry = registry;
        this.executor = executor;
        this.packages = new LoadPackages(config.dataDir(), config.packages().keepCommitted());
    }

    /**
     * A registered pipeline with its load packages as an operator sees them.
     *
     * @param pending sealed but not committed, oldest first
     * @param discarded thrown away by an operator, latest first
     */
    public record PipelinePackages(PipelineRecord pipeline, List<LoadPackages.PendingPackage> pending,
                                   List<DiscardedPackage> discarded) {
        public PipelinePackages {
            requireNonNull(pipeline, "pipeline is null");
            pending = List.copyOf(pending);
            discarded = List.copyOf(discarded);
        }
    }

    /** @throws NotFoundException when no pipeline has that name */
    public PipelinePackages of(String pipeline) {
        PipelineRecord record = registry.get(pipeline);
        return new PipelinePackages(record, packages.pending(pipeline), store.discardedPackages(pipeline));
    }

    /**
     * Triggers a run of the pipeline, which commits its pending packages, this one among them, before its own load:
     * each exactly once, as every run does (a package is claimed by one run at a time, and one its destination holds
     * already is only removed).
     *
     * @throws NotFoundException when no pipeline has that name
     * @throws PackageNotFoundException when the pipeline has no pending package of that load id
     * @throws PackageInUseException when a live run owns the package
     */
    public Run retry(String pipeline, String loadId, String requestId) {
        registry.get(pipeline);
        LoadPackages.PendingPackage pending = packages.pending(pipeline, loadId);
        if (pending.ownedByLiveRun()) {
            throw new PackageInUseException(pipeline, loadId);
        }
        return executor.trigger(pipeline, requestId, Trigger.RETRY, Optional.empty());
    }

    /**
     * Throws a pending package away uncommitted, recording who did it, why, when, and the rows that went with it.
     *
     * @throws NotFoundException when no pipeline has that name
     * @throws PackageNotFoundException when the pipeline has no pending package of that load id
     * @throws PackageInUseException when a live run owns the package
     */
    public DiscardedPackage discard(String pipeline, String loadId, String discardedBy, String reason) {
        registry.get(pipeline);
        DiscardedPackage discarded = packages.discard(pipeline, loadId, pending -> {
            DiscardedPackage record = new DiscardedPackage(pipeline, loadId, pending.sealedByRun(), pending.rows(),
                    pending.tables().stream().map(table -> new RunSummary.TableRows(table.table(), table.rows())).toList(),
                    discardedBy, reason, CatalogTime.now());
            store.insertDiscardedPackage(record);
            return record;
        });
        LOG.infof("%s discarded load package %s of pipeline %s (%d rows)%s", discardedBy, loadId, pipeline, discarded.rows(),
                reason.isEmpty() ? "" : ": " + reason);
        return discarded;
    }
}
