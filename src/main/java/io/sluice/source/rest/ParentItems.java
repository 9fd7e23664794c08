package io.sluice.source.rest;

import io.sluice.pipeline.Placeholders;
import io.sluice.pipeline.RestApiSourceSpec;
import io.sluice.pipeline.RestApiSourceSpec.RestResource;
import io.sluice.source.ItemSink;
import io.sluice.source.SourceException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The items of a child resource's parent, read by walking the parent's endpoint again, one at a time: a child is
 * extracted on its own thread, and memory stays bounded by a page. The parent's incremental placeholders take where the
 * child stopped in its last run ({@link ParentCursor}), or else the parent's initial value.
 */
final class ParentItems {
    private final RestApiSourceSpec spec;
    private final RestResource child;
    private final RequestSender sender;
    private final RequestBudget budget;

    ParentItems(RestApiSourceSpec spec, RestResource child, RequestSender sender, RequestBudget budget) {
        this.spec = spec;
        this.child = child;
        this.sender = sender;
        this.budget = budget;
    }

    /**
     * Hands each parent item to {@code eachParent}, which reads the child's items for it into {@code sink}. A parent that
     * is a child itself is read per item of its own parent.
     *
     * @param eachParent false when the sink wants no more items
     * @return false when the sink wanted no more items
     */
    boolean forEach(ItemSink sink, Predicate<Map<String, Object>> eachParent) {
        return forEach(sink, Optional.empty(), eachParent);
    }

    /**
     * As {@link #forEach(ItemSink, Predicate)}, for the parent items from {@code cursor} on only, when the parent is
     * incremental: the parent's walk starts there, and a parent item before it is passed over.
     */
    boolean forEach(ItemSink sink, Optional<ParentCursor> cursor, Predicate<Map<String, Object>> eachParent) {
        RestResource parent = spec.resource(child.parent().orElseThrow());
        Optional<String> start = cursor.isPresent() ? cursor.get().startValue()
                : parent.incremental().flatMap(incremental -> incremental.initialValue()).map(Object::toString);
        Function<String, String> incremental = name -> name.equals(Placeholders.START_VALUE) ? start.orElse("") : "";
        EndpointWalk walk = new EndpointWalk(parent, spec.baseUrl(), sender, budget);
        ItemSink parents = ItemSink.withItems(sink, (item, origin) -> cursor.map(from -> !from.wanted(item) || readFrom(from, item, eachParent))
                .orElseGet(() -> eachParent.test(item)));
        if (parent.parent().isEmpty()) {
            return walk.walk(incremental, Map.of(), parents);
        }
        return new ParentItems(spec, parent, sender, budget).forEach(sink, grandparent -> walk.walk(values(grandparent, incremental),
                included(parent, grandparent), parents));
    }

    private static boolean readFrom(ParentCursor cursor, Map<String, Object> parentItem, Predicate<Map<String, Object>> eachParent) {
        boolean more = eachParent.test(parentItem);
        cursor.read(parentItem);
        return more;
    }

    /** The placeholder values of a walk for one parent item: its fields, and {@code others} for the rest. */
    static Function<String, String> values(Map<String, Object> parentItem, Function<String, String> others) {
        return name -> Placeholders.parentField(name).isPresent() ? text(parentItem, name) : others.apply(name);
    }

    /** The text of the parent field a {@code resources.PARENT.FIELD} placeholder names. */
    private static String text(Map<String, Object> parentItem, String placeholder) {
        String field = Placeholders.parentField(placeholder).orElseThrow();
        Object value = value(parentItem, field);
        if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
            throw new SourceException("a parent item has no value at '" + field + "' for {" + placeholder + "}"
                    + (value == null ? "" : ": it holds a " + (value instanceof Map<?, ?> ? "object" : "list")));
        }
        return String.valueOf(value);
    }

    /** The parent fields the child copies into its rows, as {@code _PARENT_FIELD} (dots as underscores). */
    static Map<String, Object> included(RestResource child, Map<String, Object> parentItem) {
        Map<String, Object> included = new LinkedHashMap<>();
        for (String field : child.includeFromParent()) {
            included.put("_" + child.parent().orElseThrow() + "_" + field.replace('.', '_'), value(parentItem, field));
        }
        return included;
    }

    private static Object value(Map<String, Object> item, String dottedPath) {
        Object value = item;
        for (String key : dottedPath.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(key);
        }
        return value;
    }
}
