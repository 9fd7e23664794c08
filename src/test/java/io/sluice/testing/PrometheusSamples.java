package io.sluice.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

/** Reads samples out of a Prometheus scrape (the text of {@code /q/metrics}). */
public final class PrometheusSamples {
    private PrometheusSamples() {
    }

    /** The value of the one sample of {@code metric} whose labels include {@code labels}; fails when there is none or more. */
    public static double sample(String scraped, String metric, Map<String, String> labels) {
        List<Double> values = scraped.lines()
                .filter(line -> line.startsWith(metric + "{") || line.startsWith(metric + " "))
                .filter(line -> labels.entrySet().stream().allMatch(label -> line.contains(label.getKey() + "=\"" + label.getValue() + "\"")))
                .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .toList();
        assertEquals(1, values.size(), "one sample of " + metric + " " + labels + " in:\n" + scraped);
        return values.getFirst();
    }
}
