package io.sluice.catalog;

import io.sluice.catalog.PipelineWriter.Decision;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.LabelSelector;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Registered pipelines: create, read, update and delete, with etags for optimistic concurrency; each kept validated, as runs need it. */
@ApplicationScoped
public class PipelineRegistry {
    private final PipelineStore store;
    private final PipelineWriter writer;
    /** The validated spec of each pipeline by name, with the etag it is stored under: runs do not read specs again. */
    private final Map<String, Registered> specs = new ConcurrentHashMap<>();

    PipelineRegistry(PipelineStore store) {
        this.store = store;
        this.writer = new PipelineWriter(store);
    }

    /** @throws AlreadyExistsException when the name is taken */
    public PipelineRecord create(PipelineSpec spec) {
        return remembered(writer.write(spec.name(), stored -> created(creatable(stored, spec))));
    }

    /**
     * Creates a pipeline, or only checks that it could be ({@code validateOnly}).
     *
     * @throws AlreadyExistsException when the name is taken
     */
    public PipelineWrite create(PipelineSpec spec, boolean validateOnly) {
        if (validateOnly) {
            Optional<PipelineRecord> stored = store.pipeline(spec.name());
            return new PipelineWrite.Validated(creatable(stored, spec), stored);
        }
        return new PipelineWrite.Stored(create(spec));
    }

    /**
     * The validated spec of a registered pipeline. The one registered through this registry is kept as it was
     * validated; one stored by another process or before this one started is read from its stored JSON once.
     *
     * @throws NotFoundException when there is no such pipeline
     * @throws InvalidSpecException when the stored spec no longer validates: an older version of Sluice stored it
     */
    public PipelineSpec spec(String name) {
        return spec(get(name));
    }

    /** The validated spec of a record read from this registry. */
    public PipelineSpec spec(PipelineRecord record) {
        String name = record.name();
        Registered known = specs.get(name);
        if (known != null && known.etag().equals(record.etag())) {
            return known.spec();
        }
        PipelineSpec spec = read(record);
        remembered(record, spec);
        return spec;
    }

    /** @throws NotFoundException when there is no such pipeline */
    public PipelineRecord get(String name) {
        return store.pipeline(name).orElseThrow(() -> notFound(name));
    }

    /**
     * A page of the registered pipelines, keeping those whose labels {@code selector} matches: a page may then hold
     * fewer than {@code pageSize} pipelines, or none, before the last (as AIP-160 filtering allows).
     */
    public Page<PipelineRecord> list(int pageSize, String pageToken, LabelSelector selector) {
        Page<PipelineRecord> page = store.pipelines(pageSize, pageToken);
        if (selector.required().isEmpty()) {
            return page;
        }
        return new Page<>(page.items().stream().filter(record -> selector.matches(spec(record).labels())).toList(),
                page.nextPageToken());
    }

    /**
     * Replaces a pipeline's spec.
     *
     * @param expectedEtag the etag the caller read, or empty to replace whatever is stored
     * @throws NotFoundException when there is no such pipeline
     * @throws EtagMismatchException when the stored etag is another
     */
    public PipelineRecord replace(PipelineSpec spec, String expectedEtag) {
        return updated(new PipelineUpdate(spec.name(), expectedEtag, false, false), stored -> spec);
    }

    /**
     * Updates a pipeline, or only checks that it could be ({@code update.validateOnly()}). {@code change} makes the new
     * spec from the pipeline stored (empty when there is none and {@code update.allowMissing()}); when a concurrent
     * write came between the read and the write, it is applied again to what that one stored, so concurrent updates
     * end as if made one after the other.
     *
     * @throws NotFoundException when there is no such pipeline and a missing one is not to be created
     * @throws EtagMismatchException when the stored etag is not the one the caller read
     */
    public PipelineWrite update(PipelineUpdate update, Function<Optional<PipelineRecord>, PipelineSpec> change) {
        if (update.validateOnly()) {
            Optional<PipelineRecord> stored = store.pipeline(update.name());
            return new PipelineWrite.Validated(updatable(update, stored, change), stored);
        }
        return new PipelineWrite.Stored(updated(update, change));
    }

    /** Creates the pipeline, or replaces it when its spec changed; an unchanged spec keeps its etag. */
    public PipelineRecord apply(PipelineSpec spec) {
        return remembered(writer.write(spec.name(), stored -> stored
                .map(current -> current.specJson().equals(spec.json()) ? new Decision(spec, current) : replaced(current, spec))
                .orElseGet(() -> created(spec))));
    }

    /**
     * @param expectedEtag the etag the caller read, or empty to delete whatever is stored
     */
    public void delete(String name, String expectedEtag) {
        writer.exclusively(name, () -> {
            PipelineRecord current = get(name);
            if (!expectedEtag.isEmpty() && !expectedEtag.equals(current.etag())) {
                throw etagMismatch(name);
            }
            if (!store.deletePipeline(name)) {
                throw notFound(name);
            }
            return specs.remove(name);
        });
    }

    private PipelineRecord updated(PipelineUpdate update, Function<Optional<PipelineRecord>, PipelineSpec> change) {
        return remembered(writer.write(update.name(), stored -> {
            PipelineSpec spec = updatable(update, stored, change);
            return stored.map(current -> replaced(current, spec)).orElseGet(() -> created(spec));
        }));
    }

    private static PipelineSpec updatable(PipelineUpdate update, Optional<PipelineRecord> stored,
                                          Function<Optional<PipelineRecord>, PipelineSpec> change) {
        if (stored.isEmpty() && !update.allowMissing()) {
            throw notFound(update.name());
        }
        PipelineSpec spec = change.apply(stored);
        if (stored.isPresent() && !update.expectedEtag().isEmpty() && !update.expectedEtag().equals(stored.get().etag())) {
            throw etagMismatch(update.name());
        }
        return spec;
    }

    private static PipelineSpec creatable(Optional<PipelineRecord> stored, PipelineSpec spec) {
        if (stored.isPresent()) {
            throw new AlreadyExistsException("pipeline '" + spec.name() + "' already exists");
        }
        return spec;
    }

    private static Decision created(PipelineSpec spec) {
        Instant now = CatalogTime.now();
        return new Decision(spec, new PipelineRecord(spec.name(), spec.json(), newEtag(), now, now));
    }

    private static Decision replaced(PipelineRecord stored, PipelineSpec spec) {
        return new Decision(spec, new PipelineRecord(spec.name(), spec.json(), newEtag(), stored.createTime(), CatalogTime.now()));
    }

    private PipelineRecord remembered(Decision stored) {
        return remembered(stored.record(), stored.spec());
    }

    private PipelineRecord remembered(PipelineRecord record, PipelineSpec spec) {
        specs.put(record.name(), new Registered(record.etag(), spec));
        return record;
    }

    private static PipelineSpec read(PipelineRecord record) {
        try {
            return PipelineSpecs.fromJson(record.specJson());
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException("pipeline '" + record.name() + "' as registered (this version of Sluice no longer"
                    + " accepts it; update the pipeline to run it)", e.problems());
        }
    }

    private record Registered(String etag, PipelineSpec spec) {
    }

    private static String newEtag() {
        return UUID.randomUUID().toString().substring(0, 13);
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("pipeline '" + name + "' does not exist");
    }

    private static EtagMismatchException etagMismatch(String name) {
        return new EtagMismatchException("pipeline '" + name + "' was changed since that etag was read; get it again");
    }
}
