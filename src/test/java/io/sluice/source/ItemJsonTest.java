package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ItemJsonTest {
    @Test
    void decimalsReadAsDoubleParseDoubleReadsThem() throws Exception {
        SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 20_000; i++) {
            String text = switch (i % 4) {
                case 0 -> Double.toString(Double.longBitsToDouble(random.nextLong()) % 1e300);
                case 1 -> random.nextInt(1_000_000) + "." + random.nextInt(100);
                case 2 -> random.nextLong() + "." + Long.toUnsignedString(random.nextLong()) + "e" + (random.nextInt(40) - 20);
                default -> "0." + "0".repeat(random.nextInt(20)) + Long.toUnsignedString(random.nextLong()) + "1";
            };
            if (text.contains("NaN") || text.contains("Infinity")) {
                continue;
            }
            Map<?, ?> item = ItemJson.MAPPER.readValue("{\"v\": " + text + "}", Map.class);
            assertEquals(Double.parseDouble(text), item.get("v"), text);
        }
    }
}
