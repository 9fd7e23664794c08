package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated pipeline, as the engine runs it. {@code timeout} bounds the whole run, its retries and the waits
 * between them included; {@code retries} is {@link RetryPolicy#NONE} when the spec has none; {@code concurrency} is
 * {@link ConcurrencySpec#TAKE_TURNS} when the spec has none; {@code labels} group
 * pipelines for listings and prunes ({@link LabelSelector}); {@code schedules} start runs by themselves unless
 * {@code schedulesPaused}. {@code json} is the spec as the user wrote it (canonical JSON of
 * the proto message), kept so that it can be stored and shown back unchanged. {@code transforms} change the
 * resources' items before any of their rows is written, in this order. {@code alerts} are sent as runs
 * enter the states they name.
 */
public record PipelineSpec(
        String name,
        String description,
        SourceSpec source,
        DestinationSpec destination,
        String dataset,
        Optional<Duration> timeout,
        RetryPolicy retries,
        ConcurrencySpec concurrency,
        Map<String, String> labels,
        List<ScheduleSpec> schedules,
        boolean schedulesPaused,
        String json,
        List<TransformSpec> transforms,
        List<AlertSpec> alerts) {
    public PipelineSpec {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(source, "source is null");
        requireNonNull(destination, "destination is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(retries, "retries is null");
        requireNonNull(concurrency, "concurrency is null");
        labels = Map.copyOf(requireNonNull(labels, "labels is null"));
        schedules = List.copyOf(requireNonNull(schedules, "schedules is null"));
        requireNonNull(json, "json is null");
        transforms = List.copyOf(requireNonNull(transforms, "transforms is null"));
        alerts = List.copyOf(requireNonNull(alerts, "alerts is null"));
    }

    /** The transforms of one resource's items, in the order they apply. */
    public List<TransformSpec> transforms(String resource) {
        return transforms.stream().filter(transform -> transform.resource().equals(resource)).toList();
    }
}
