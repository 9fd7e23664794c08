package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which pipelines a listing or a prune covers: those carrying every one of the required labels (an empty selector
 * covers all). Written as comma-separated {@code key=value} pairs, e.g. {@code team=billing,tier=gold}.
 */
public record LabelSelector(Map<String, String> required) {
    public LabelSelector {
        required = Map.copyOf(requireNonNull(required, "required is null"));
    }

    /**
     * @throws IllegalArgumentException naming the pair that is not {@code key=value} or breaks the label syntax
     */
    public static LabelSelector parse(String text) {
        Map<String, String> required = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String trimmed = pair.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("'" + trimmed + "' is not key=value");
            }
            String key = trimmed.substring(0, equals).strip();
            String value = trimmed.substring(equals + 1).strip();
            String problem = Labels.problem(key, value);
            if (!problem.isEmpty()) {
                throw new IllegalArgumentException(problem);
            }
            String other = required.putIfAbsent(key, value);
            if (other != null && !other.equals(value)) {
                throw new IllegalArgumentException("label '" + key + "' is required to be both '" + other + "' and '" + value + "'");
            }
        }
        return new LabelSelector(required);
    }

    public boolean matches(Map<String, String> labels) {
        return required.entrySet().stream().allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
    }

    @Override
    public String toString() {
        return required.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue())
                .sorted().reduce((left, right) -> left + "," + right).orElse("");
    }
}
