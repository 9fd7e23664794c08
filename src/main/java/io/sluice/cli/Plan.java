package io.sluice.cli;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.sluice.pipeline.LabelSelector;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.proto.v1.Pipeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code apply} would change to make the registered pipelines equal to the files, in name order. A registered
 * pipeline without a file is deleted only when pruning, and only when it carries the selector's labels, so a prune
 * scoped by a selector never touches pipelines outside it.
 */
record Plan(List<PlannedChange> changes) {
    Plan {
        changes = List.copyOf(changes);
    }

    /**
     * @param desired the pipelines the files define, by name, with the file each came from
     * @param registered every pipeline the service holds
     */
    static Plan between(Map<String, Desired> desired, List<Pipeline> registered, boolean prune, LabelSelector selector) {
        List<PlannedChange> changes = new ArrayList<>();
        Map<String, Pipeline> byName = new HashMap<>();
        registered.forEach(pipeline -> byName.put(pipeline.getName(), pipeline));
        desired.forEach((name, wanted) -> {
            Pipeline current = byName.get(name);
            if (current == null) {
                changes.add(new PlannedChange.Create(wanted.pipeline(), wanted.file()));
                return;
            }
            List<String> fields = changedFields(wanted.pipeline(), current);
            changes.add(fields.isEmpty() ? new PlannedChange.Unchanged(name)
                    : new PlannedChange.Update(wanted.pipeline(), wanted.file(), current.getEtag(), fields));
        });
        if (prune) {
            registered.stream()
                    .filter(pipeline -> !desired.containsKey(pipeline.getName()))
                    .filter(pipeline -> selector.matches(pipeline.getLabelsMap()))
                    .forEach(pipeline -> changes.add(new PlannedChange.Delete(pipeline.getName(), pipeline.getEtag())));
        }
        changes.sort(Comparator.comparing(PlannedChange::name));
        return new Plan(changes);
    }

    /** A pipeline as a file defines it. */
    record Desired(Pipeline pipeline, Path file) {
        Desired {
            requireNonNull(pipeline, "pipeline is null");
            requireNonNull(file, "file is null");
        }
    }

    /** One line a pipeline: creates green, updates yellow, deletes red when colors are on. */
    void print(Colors colors) {
        for (PlannedChange change : changes) {
            System.out.println(switch (change) {
                case PlannedChange.Create create -> colors.green(create.line());
                case PlannedChange.Update update -> colors.yellow(update.line());
                case PlannedChange.Delete delete -> colors.red(delete.line());
                case PlannedChange.Unchanged unchanged -> unchanged.line();
            });
        }
    }

    boolean changesSomething() {
        return changes.stream().anyMatch(change -> !(change instanceof PlannedChange.Unchanged));
    }

    /** The top-level spec fields that differ, as the files name them; the fields the server owns are not compared. */
    private static List<String> changedFields(Pipeline wanted, Pipeline current) {
        Pipeline left = PipelineSpecs.withoutOutputFields(wanted);
        Pipeline right = PipelineSpecs.withoutOutputFields(current);
        List<String> fields = new ArrayList<>();
        for (FieldDescriptor field : Pipeline.getDescriptor().getFields()) {
            if (!comparable(left, field).equals(comparable(right, field))
                    || (field.hasPresence() && left.hasField(field) != right.hasField(field))) {
                fields.add(field.getName());
            }
        }
        return fields;
    }

    /** A map field's entries come in the order they were read, which says nothing about the map. */
    private static Object comparable(Pipeline pipeline, FieldDescriptor field) {
        Object value = pipeline.getField(field);
        return field.isMapField() ? Set.copyOf((List<?>) value) : value;
    }
}
