package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void retryDelaysDoubleUpToTheirCapWithinTheirJitter() {
        RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(5), 0);
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5),
                Duration.ofSeconds(5)), IntStream.rangeClosed(2, 6).mapToObj(attempt -> policy.delayBefore(attempt, 0.7))
                .toList());
        RetryPolicy jittered = new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(15), 0.2);
        assertEquals(Duration.ofSeconds(8), jittered.delayBefore(2, 0));
        assertEquals(Duration.ofSeconds(10), jittered.delayBefore(2, 0.5));
        assertEquals(Duration.ofSeconds(11), jittered.delayBefore(2, 0.75));
        assertEquals(Duration.ofSeconds(15), jittered.delayBefore(3, 0.99), "jitter never goes past the cap");
        assertEquals(Duration.ofSeconds(16), new RetryPolicy(3, Duration.ofSeconds(10), Duration.ofSeconds(20), 0.2)
                .delayBefore(3, 0), "the cap is applied before the jitter too");
        RetryPolicy longest = new RetryPolicy(RetryPolicy.MOST_ATTEMPTS, Duration.ofMillis(1), Duration.ofDays(3650), 0);
        assertEquals(Duration.ofDays(3650), longest.delayBefore(RetryPolicy.MOST_ATTEMPTS, 0), "no overflow on a long policy");
        assertThrows(IllegalArgumentException.class, () -> policy.delayBefore(1, 0), "the first attempt has no delay");
        assertThrows(IllegalArgumentException.class, () -> policy.delayBefore(7, 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, Duration.ofSeconds(1), Duration.ofSeconds(1), Double.NaN));
    }
}
