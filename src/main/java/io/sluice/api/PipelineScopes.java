package io.sluice.api;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.catalog.NotFoundException;
import io.sluice.catalog.PipelineRecord;
import io.sluice.catalog.PipelineRegistry;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.LabelSelector;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.runs.RunExecutor;
import io.sluice.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Keeps a caller whose credential carries a scope ({@code team=billing}) to the pipelines whose labels match it, and to
 * their runs, schemas, previews and packages: listings leave the others out silently, and a call that names one is
 * refused with PERMISSION_DENIED naming the scope. Not NOT_FOUND: pipeline names are one namespace whose names a
 * create's ALREADY_EXISTS reveals anyway, and a refusal that names the scope tells the caller what is wrong.
 */
@ApplicationScoped
class PipelineScopes {
    private final PipelineRegistry registry;
    private final RunExecutor executor;

    PipelineScopes(PipelineRegistry registry, RunExecutor executor) {
        this.registry = registry;
        this.executor = executor;
    }

    /**
     * The pipeline's name, once the caller's scope is found to cover it; one that does not exist is NOT_FOUND, as for
     * an unscoped caller.
     */
    String checkPipeline(String name) {
        Caller caller = CallerContext.current();
        if (caller.scoped()) {
            checkLabels(caller, name, labels(registry.get(name)));
        }
        return name;
    }

    /** The run's id, once the caller's scope is found to cover the run's pipeline. */
    String checkRun(String runId) {
        if (CallerContext.current().scoped()) {
            checkPipeline(executor.get(runId).pipeline());
        }
        return runId;
    }

    /** Refuses the call unless the caller's scope covers a stored pipeline it is about to change. */
    void checkStored(PipelineRecord stored) {
        Caller caller = CallerContext.current();
        if (caller.scoped()) {
            checkLabels(caller, stored.name(), labels(stored));
        }
    }

    /** Refuses the call unless the caller's scope covers a spec it is about to store: no one writes outside their scope. */
    PipelineSpec checkedSpec(PipelineSpec spec) {
        Caller caller = CallerContext.current();
        if (caller.scoped()) {
            checkLabels(caller, spec.name(), Optional.of(spec.labels()));
        }
        return spec;
    }

    /** Whether the caller may see the stored pipeline, for listings that leave out what the scope does not cover. */
    boolean covers(PipelineRecord record) {
        Caller caller = CallerContext.current();
        return !caller.scoped() || labels(record).filter(selector(caller)::matches).isPresent();
    }

    /**
     * Whether the caller may see the pipeline of that name, for listings of runs: each name is looked up once per
     * listing, and a pipeline that no longer exists is covered by no scope.
     */
    Predicate<String> coveredPipelines() {
        Caller caller = CallerContext.current();
        if (!caller.scoped()) {
            return name -> true;
        }
        Map<String, Boolean> covered = new HashMap<>();
        return name -> covered.computeIfAbsent(name, pipeline -> {
            try {
                return covers(registry.get(pipeline));
            } catch (NotFoundException gone) {
                return false;
            }
        });
    }

    /** A pipeline's labels; none when its stored spec no longer validates, which no scope then covers. */
    private Optional<Map<String, String>> labels(PipelineRecord record) {
        try {
            return Optional.of(registry.spec(record).labels());
        } catch (InvalidSpecException unreadable) {
            return Optional.empty();
        }
    }

    private static void checkLabels(Caller caller, String pipeline, Optional<Map<String, String>> labels) {
        if (labels.filter(selector(caller)::matches).isEmpty()) {
            throw denied(caller, pipeline);
        }
    }

    private static StatusRuntimeException denied(Caller caller, String pipeline) {
        return Status.PERMISSION_DENIED.withDescription("pipeline " + pipeline + " is outside the scope " + caller.scope()
                + " of " + caller.name() + ": its labels must match it").asRuntimeException();
    }

    private static LabelSelector selector(Caller caller) {
        // The authenticator checked the scope when it proved the caller.
        return LabelSelector.parse(caller.scope());
    }
}
