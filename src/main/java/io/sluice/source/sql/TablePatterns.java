package io.sluice.source.sql;

import java.util.List;
import java.util.regex.Pattern;

/** Which discovered tables become resources: those an include pattern matches and no exclude pattern does. */
final class TablePatterns {
    private final List<Pattern> include;
    private final List<Pattern> exclude;

    /** @param include patterns with {@code *} and {@code ?} wildcards; empty: every table */
    TablePatterns(List<String> include, List<String> exclude) {
        this.include = include.stream().map(TablePatterns::compile).toList();
        this.exclude = exclude.stream().map(TablePatterns::compile).toList();
    }

    boolean picks(String table) {
        return (include.isEmpty() || include.stream().anyMatch(pattern -> pattern.matcher(table).matches()))
                && exclude.stream().noneMatch(pattern -> pattern.matcher(table).matches());
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char character : glob.toCharArray()) {
            switch (character) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(character)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
