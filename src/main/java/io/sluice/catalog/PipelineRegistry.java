package io.sluice.catalog;

import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpec;
import io.sluice.pipeline.PipelineSpecs;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Registered pipelines: create, read, replace and delete, with etags for optimistic concurrency; each kept validated, as runs need it. */
@ApplicationScoped
public class PipelineRegistry {
    private final CatalogStore store;
    /** The validated spec of each pipeline by name, with the etag it is stored under: runs do not read specs again. */
    private final Map<String, Registered> specs = new ConcurrentHashMap<>();

    PipelineRegistry(CatalogStore store) {
        this.store = store;
    }

    /** @throws AlreadyExistsException when the name is taken */
    public PipelineRecord create(PipelineSpec spec) {
        Instant now = CatalogTime.now();
        PipelineRecord record = new PipelineRecord(spec.name(), spec.json(), newEtag(), now, now);
        store.insertPipeline(record);
        return remembered(record, spec);
    }

    /**
     * The validated spec of a registered pipeline. The one registered through this registry is kept as it was
     * validated; one stored by another process or before this one started is read from its stored JSON once.
     *
     * @throws NotFoundException when there is no such pipeline
     * @throws InvalidSpecException when the stored spec no longer validates: an older version of Sluice stored it
     */
    public PipelineSpec spec(String name) {
        PipelineRecord record = get(name);
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

    public Optional<PipelineRecord> find(String name) {
        return store.pipeline(name);
    }

    public Page<PipelineRecord> list(int pageSize, String pageToken) {
        return store.pipelines(pageSize, pageToken);
    }

    /**
     * Replaces a pipeline's spec.
     *
     * @param expectedEtag the etag the caller read, or empty to replace whatever is stored
     * @throws NotFoundException when there is no such pipeline
     * @throws EtagMismatchException when the stored etag is another
     */
    public PipelineRecord replace(PipelineSpec spec, String expectedEtag) {
        PipelineRecord current = get(spec.name());
        if (!expectedEtag.isEmpty() && !expectedEtag.equals(current.etag())) {
            throw etagMismatch(spec.name());
        }
        PipelineRecord replaced = new PipelineRecord(spec.name(), spec.json(), newEtag(), current.createTime(), CatalogTime.now());
        if (!store.replacePipeline(replaced, current.etag())) {
            throw etagMismatch(spec.name());
        }
        return remembered(replaced, spec);
    }

    /** Creates the pipeline, or replaces it when its spec changed; an unchanged spec keeps its etag. */
    public PipelineRecord apply(PipelineSpec spec) {
        return store.pipeline(spec.name())
                .map(current -> current.specJson().equals(spec.json()) ? remembered(current, spec) : replace(spec, current.etag()))
                .orElseGet(() -> create(spec));
    }

    /**
     * @param expectedEtag the etag the caller read, or empty to delete whatever is stored
     */
    public void delete(String name, String expectedEtag) {
        PipelineRecord current = get(name);
        if (!expectedEtag.isEmpty() && !expectedEtag.equals(current.etag())) {
            throw etagMismatch(name);
        }
        if (!store.deletePipeline(name)) {
            throw notFound(name);
        }
        specs.remove(name);
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
