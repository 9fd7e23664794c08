package io.sluice.pipeline;

import java.util.regex.Pattern;

/**
 * The syntax of pipeline labels, as Kubernetes has it, so that selectors written for one read the same for the other:
 * a key is an optional DNS-subdomain prefix and '/', then a name; a name and a value are at most 63 letters, digits,
 * '-', '_' and '.', starting and ending with a letter or digit (a value may be empty).
 */
public final class Labels {
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final int LONGEST_PREFIX = 253;
    private static final String NAME_RULE = "must be at most 63 letters, digits, '-', '_' and '.', starting and ending with a"
            + " letter or digit";

    private Labels() {
    }

    /** What is wrong with the label, or empty when both its key and its value are valid. */
    public static String problem(String key, String value) {
        String problem = keyProblem(key);
        return problem.isEmpty() ? valueProblem(value) : problem;
    }

    private static String keyProblem(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > LONGEST_PREFIX || !PREFIX.matcher(prefix).matches()) {
                return "key '" + key + "': the prefix before '/' must be a DNS subdomain (lower-case letters, digits, '-' and '.',"
                        + " at most " + LONGEST_PREFIX + " characters)";
            }
        }
        if (!NAME.matcher(name).matches()) {
            return "key '" + key + "': " + (name.isEmpty() ? "the name is empty" : "the name " + NAME_RULE);
        }
        return "";
    }

    private static String valueProblem(String value) {
        return value.isEmpty() || NAME.matcher(value).matches() ? "" : "value '" + value + "' " + NAME_RULE;
    }
}
