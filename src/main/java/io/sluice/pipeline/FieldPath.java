package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A field of an item as the source gives it, by the names leading to it: {@code user.email} is the {@code email} of
 * the object {@code user}. Lists on the way are walked element by element wherever they are, so {@code []} in the
 * written path ({@code comments[].author.email}) only shows the shape and is not kept.
 */
public record FieldPath(List<String> names) {
    private static final Pattern NAME = Pattern.compile("[^.\\[\\]]+");
    private static final String LIST = "[]";

    public FieldPath {
        names = List.copyOf(requireNonNull(names, "names is null"));
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names is empty");
        }
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' is not a field name");
            }
        }
    }

    /**
     * @param text names joined by dots, each optionally followed by {@code []}
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static FieldPath parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("must name a field, e.g. email, user.email or comments[].author.email");
        }
        String[] parts = text.split("\\.", -1);
        String[] names = new String[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String name = parts[i].endsWith(LIST) ? parts[i].substring(0, parts[i].length() - LIST.length()) : parts[i];
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a field path: names joined by '.', each may end"
                        + " in [] for a list, e.g. comments[].author.email");
            }
            names[i] = name;
        }
        return new FieldPath(List.of(names));
    }

    /** Whether this path is {@code other} or leads into it: masking {@code user} masks {@code user.email} too. */
    public boolean covers(List<String> other) {
        return other.size() >= names.size() && other.subList(0, names.size()).equals(names);
    }

    @Override
    public String toString() {
        return String.join(".", names);
    }
}
