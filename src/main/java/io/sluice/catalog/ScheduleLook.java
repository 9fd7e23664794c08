package io.sluice.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one look of the scheduler at a pipeline's schedules stores, once the runs of its due slots were started.
 *
 * @param etag the version of the pipeline looked at; empty when it is gone, and its row in the index goes with it
 * @param marks the last slot handled of each schedule whose mark moves (or is set for the first time)
 * @param forecast the SCHEDULED runs of next slots to store, unless their request ids are taken already
 * @param discarded the SCHEDULED runs whose slots no schedule fires any more, removed with their request ids
 * @param due when the pipeline's schedules are next due; empty: never, unless the pipeline changes
 */
public record ScheduleLook(String pipeline, Optional<String> etag, Map<String, Instant> marks, List<Run> forecast,
                           List<Run> discarded, Optional<Instant> due) {
    public ScheduleLook {
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(etag, "etag is null");
        marks = Map.copyOf(marks);
        forecast = List.copyOf(forecast);
        discarded = List.copyOf(discarded);
        requireNonNull(due, "due is null");
    }
}
