package io.sluice.source.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantTextTest {
    @Test
    void writesWhatInstantWritesAcrossItsWholeRange() {
        long[] seconds = {0, -1, 1, 951_782_400L /* 2000-02-29 */, -62_167_219_200L /* 0000-01-01 */, -62_167_219_201L,
                253_402_300_799L /* 9999-12-31T23:59:59 */, 253_402_300_800L, Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()};
        int[] nanos = {0, 1, 1_000, 120_000_000, 123_456_000, 123_456_789, 999_999_999};
        for (long second : seconds) {
            for (int nano : nanos) {
                assertEquals(Instant.ofEpochSecond(second, nano).toString(), InstantText.of(second, nano), second + "s " + nano + "ns");
            }
        }
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(-70_000_000_000L, 260_000_000_000L);
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            assertEquals(Instant.ofEpochSecond(second, nano).toString(), InstantText.of(second, nano), second + "s " + nano + "ns");
        }
    }
}
