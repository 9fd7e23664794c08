package io.sluice.normalize;

import io.sluice.pipeline.FieldPath;
import io.sluice.pipeline.TransformSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Changes one resource's items as the spec's transforms say, before any of their rows is written: fields masked or
 * dropped along their paths, through nested objects and every element of the lists on the way. The item is not
 * changed in place (a source may hand out items it keeps); the objects on a changed path are copied. One instance
 * serves one resource (or one worker's parts of it) on one thread.
 */
public final class ItemTransform {
    private final List<FieldChange> changes;
    private boolean applied;

    /** One field path and what becomes of it; {@code found} tells whether any item had the field, so unmatched paths are told. */
    private static final class FieldChange {
        private final FieldPath path;
        private final FieldNames names;
        /** Empty: the field is dropped. */
        private final Optional<ValueMask> mask;
        private boolean found;

        FieldChange(FieldPath path, Optional<ValueMask> mask) {
            this.path = path;
            this.names = new FieldNames(path.names());
            this.mask = mask;
        }
    }

    private ItemTransform(List<FieldChange> changes) {
        this.changes = List.copyOf(changes);
    }

    /**
     * @param transforms the transforms of one resource, in the order they apply
     * @param secrets the value of a secret the spec names, by its name: the run resolves secrets and hands them in;
     *     throws for a secret that is not set
     * @throws IllegalArgumentException when a key secret is empty (the message names the secret, never a value)
     */
    public static ItemTransform of(List<TransformSpec> transforms, UnaryOperator<String> secrets) {
        List<FieldChange> changes = new ArrayList<>();
        for (TransformSpec transform : transforms) {
            Optional<ValueMask> mask = switch (transform) {
                case TransformSpec.HmacSha256 hmac -> Optional.of(new ValueMask.HmacSha256(key(hmac, secrets)));
                case TransformSpec.Redact ignored -> Optional.of(new ValueMask.Redact());
                case TransformSpec.Truncate truncate -> Optional.of(new ValueMask.Truncate(truncate.keepCharacters()));
                case TransformSpec.Drop ignored -> Optional.empty();
            };
            transform.columns().forEach(column -> changes.add(new FieldChange(column, mask)));
        }
        return new ItemTransform(changes);
    }

    /** The item with its fields changed; the item itself when no field of it was. */
    public Map<String, Object> apply(Map<String, Object> item) {
        applied = true;
        Map<String, Object> changed = item;
        for (FieldChange change : changes) {
            changed = changedObject(changed, change, 0, change.names.name(0));
        }
        return changed;
    }

    /** Whether this changes no field: items pass as they are. */
    public boolean isEmpty() {
        return changes.isEmpty();
    }

    /** The field paths no item so far had (none before the first item): likely misspelt, so their values went unchanged. */
    public List<FieldPath> unmatched() {
        return !applied ? List.of() : changes.stream().filter(change -> !change.found).map(change -> change.path).distinct().toList();
    }

    /** The field paths that no item had, of the items that the transforms of one resource's workers changed between them. */
    public static List<FieldPath> unmatched(List<ItemTransform> workers) {
        List<ItemTransform> applied = workers.stream().filter(transform -> transform.applied).toList();
        return applied.isEmpty() ? List.of() : applied.getFirst().unmatched().stream()
                .filter(path -> applied.stream().allMatch(transform -> transform.unmatched().contains(path)))
                .toList();
    }

    private static String key(TransformSpec.HmacSha256 hmac, UnaryOperator<String> secrets) {
        String key = secrets.apply(hmac.keySecret());
        if (key.isEmpty()) {
            throw new IllegalArgumentException("secret '" + hmac.keySecret() + "', the HMAC key of resource "
                    + hmac.resource() + "'s transform, is empty");
        }
        return key;
    }

    /**
     * The value with the path's field changed, or the value itself when it has no such field.
     *
     * @param depth the index of the path's name the walk is at
     * @param name what is left of that name (all of it, or the rest of a flattened name)
     */
    private static Object changed(Object value, FieldChange change, int depth, String name) {
        return switch (value) {
            case Map<?, ?> object -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) object;
                yield changedObject(fields, change, depth, name);
            }
            case List<?> list -> changedList(list, change, depth, name);
            case null, default -> value;
        };
    }

    private static Map<String, Object> changedObject(Map<String, Object> object, FieldChange change, int depth, String name) {
        Map<String, Object> copy = null;
        for (Map.Entry<String, Object> field : object.entrySet()) {
            Optional<String> below = change.names.below(name, field.getKey());
            if (below.isEmpty()) {
                continue;
            }
            boolean whole = below.get().isEmpty();
            boolean last = whole && depth == change.names.size() - 1;
            change.found |= last;
            Object value = field.getValue();
            if (last && change.mask.isEmpty()) {
                copy = copy == null ? new LinkedHashMap<>(object) : copy;
                copy.remove(field.getKey());
                continue;
            }
            Object changed = last ? change.mask.get().apply(value)
                    : whole ? changed(value, change, depth + 1, change.names.name(depth + 1))
                    : changed(value, change, depth, below.get());
            if (changed != value) {
                copy = copy == null ? new LinkedHashMap<>(object) : copy;
                copy.put(field.getKey(), changed);
            }
        }
        return copy == null ? object : copy;
    }

    private static Object changedList(List<?> list, FieldChange change, int depth, String name) {
        List<Object> copy = null;
        for (int i = 0; i < list.size(); i++) {
            Object element = list.get(i);
            Object changed = changed(element, change, depth, name);
            if (changed != element && copy == null) {
                copy = new ArrayList<>(list);
            }
            if (copy != null) {
                copy.set(i, changed);
            }
        }
        return copy == null ? list : copy;
    }
}
