package io.sluice.schema;

import java.text.Normalizer;
import java.util.Locale;

/**
 * The snake_case naming convention for tables and columns: deterministic, so the same source name always maps
 * to the same identifier.
 */
public final class Naming {
    private Naming() {
    }

    public static String snakeCase(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFKD).replaceAll("\\p{M}", "");
        String spaced = ascii
                .replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .replaceAll("([A-Z]+)([A-Z][a-z])", "$1_$2");
        String snake = spaced.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "_")
                .replaceAll("^_+|_+$", "");
        if (snake.isEmpty()) {
            return "_";
        }
        return Character.isDigit(snake.charAt(0)) ? "_" + snake : snake;
    }
}
