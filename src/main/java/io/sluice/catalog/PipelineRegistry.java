package io.sluice.catalog;

import io.sluice.pipeline.PipelineSpec;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Registered pipelines: create, read, replace and delete, with etags for optimistic concurrency. */
@ApplicationScoped
public class PipelineRegistry {
    private final CatalogStore store;

    PipelineRegistry(CatalogStore store) {
        this.store = store;
    }

    /** @throws AlreadyExistsException when the name is taken */
    public PipelineRecord create(PipelineSpec spec) {
        Instant now = CatalogTime.now();
        PipelineRecord record = new PipelineRecord(spec.name(), spec.json(), newEtag(), now, now);
        store.insertPipeline(record);
        return record;
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
        return replaced;
    }

    /** Creates the pipeline, or replaces it when its spec changed; an unchanged spec keeps its etag. */
    public PipelineRecord apply(PipelineSpec spec) {
        return store.pipeline(spec.name())
                .map(current -> current.specJson().equals(spec.json()) ? current : replace(spec, current.etag()))
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
