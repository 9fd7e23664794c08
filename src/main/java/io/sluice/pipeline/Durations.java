package io.sluice.pipeline;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the duration spelling of pipeline specs: "500ms", "90s", "15m", "1h30m", "2d". */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(\\d+(ms|d|h|m|s))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|d|h|m|s)");

    private Durations() {
    }

    /** @throws IllegalArgumentException when the text is not such a duration */
    public static Duration parse(String text) {
        String trimmed = text.strip();
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a duration: write a number and a unit (ms, s, m, h, d), e.g. 90s or 1h30m");
        }
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(trimmed);
        while (part.find()) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new IllegalStateException("unit " + part.group(2));
            });
        }
        return total;
    }
}
