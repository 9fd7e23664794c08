package io.sluice.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The placeholders of a REST endpoint's texts: {@code {incremental.start_value}}, {@code {incremental.end_value}} and
 * {@code {resources.PARENT.FIELD}}. The spec mapper checks what they name; the source fills them in per request.
 */
public final class Placeholders {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_.-]*)}");
    public static final String START_VALUE = "incremental.start_value";
    public static final String END_VALUE = "incremental.end_value";
    private static final String RESOURCES = "resources.";

    private final Set<String> names = new LinkedHashSet<>();

    Placeholders() {
    }

    /**
     * {@code text} with each placeholder replaced by {@code value}'s answer for its name.
     *
     * @param value the value of a placeholder, by name (e.g. {@code resources.issues.number})
     */
    public static String fill(String text, Function<String, String> value) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        return matcher.replaceAll(match -> Matcher.quoteReplacement(value.apply(match.group(1))));
    }

    /** The parent field a {@code resources.PARENT.FIELD} placeholder names: FIELD, a dotted path; empty for others. */
    public static Optional<String> parentField(String name) {
        if (!name.startsWith(RESOURCES)) {
            return Optional.empty();
        }
        int dot = name.indexOf('.', RESOURCES.length());
        return dot < 0 ? Optional.empty() : Optional.of(name.substring(dot + 1));
    }

    /** Collects the placeholders of every text of an endpoint, reporting those that name nothing known. */
    void collect(String path, Map<String, String> params, Map<String, String> headers, Optional<Object> json, String at,
                 SpecProblems problems) {
        collect(path, at + ".path", problems);
        params.forEach((name, value) -> collect(value, at + ".params." + name, problems));
        headers.forEach((name, value) -> collect(value, at + ".headers." + name, problems));
        json.ifPresent(body -> collectJson(body, at + ".json", problems));
    }

    boolean usesIncremental() {
        return names.contains(START_VALUE) || names.contains(END_VALUE);
    }

    /** The one resource the {@code resources.…} placeholders name, which must come before this one in the spec. */
    Optional<String> parent(String at, String self, Set<String> earlier, SpecProblems problems) {
        List<String> parents = new ArrayList<>(names.stream().filter(name -> name.startsWith(RESOURCES))
                .map(name -> name.substring(RESOURCES.length(), name.indexOf('.', RESOURCES.length())))
                .distinct().toList());
        if (parents.size() > 1) {
            problems.invalid(at, "takes values of " + String.join(" and ", parents) + ": a child has one parent resource");
            return Optional.empty();
        }
        if (parents.isEmpty()) {
            return Optional.empty();
        }
        String parent = parents.getFirst();
        if (parent.equals(self) || !earlier.contains(parent)) {
            problems.invalid(at, "takes values of resource '" + parent + "', which must be declared before '" + self + "'");
            return Optional.empty();
        }
        return Optional.of(parent);
    }

    private void collect(String text, String field, SpecProblems problems) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            String name = matcher.group(1);
            if (name.equals(START_VALUE) || name.equals(END_VALUE) || parentField(name).filter(path -> !path.isEmpty()).isPresent()) {
                names.add(name);
            } else {
                problems.invalid(field, "unknown placeholder {" + name + "}: use {" + START_VALUE + "}, {" + END_VALUE
                        + "} or {resources.PARENT.FIELD}");
            }
        }
    }

    private void collectJson(Object json, String field, SpecProblems problems) {
        switch (json) {
            case String text -> collect(text, field, problems);
            case Map<?, ?> map -> map.forEach((key, value) -> collectJson(value, field + "." + key, problems));
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    collectJson(list.get(i), field + "[" + i + "]", problems);
                }
            }
            case null, default -> {
            }
        }
    }
}
