package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.load.ConnectionPools;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DestinationsProducerTest {
    /** A memory limit DuckDB would refuse is refused as the service starts, naming the setting, before any load. */
    @Test
    void aMemoryLimitWithoutAUnitIsRefusedNamingTheSetting() {
        SluiceConfig.DuckdbLoads loads = answering(SluiceConfig.DuckdbLoads.class, "memoryLimit", "64", "threads", 1);
        SluiceConfig config = answering(SluiceConfig.class, "duckdbLoads", loads);
        try (ConnectionPools pools = new ConnectionPools(1, Duration.ofMinutes(1))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new DestinationsProducer().destinations(config, pools));
            assertEquals("sluice.duckdb-loads: memoryLimit is not a size such as 32MB (units B, KB, MB, GB, TB, KiB, MiB, GiB, TiB): 64",
                    refused.getMessage());
        }
    }

    /** A configuration that answers the named methods with the values that follow each name, and nothing else. */
    private static <T> T answering(Class<T> type, Object... answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, arguments) -> {
            for (int index = 0; index < answers.length; index += 2) {
                if (answers[index].equals(method.getName())) {
                    return answers[index + 1];
                }
            }
            throw new UnsupportedOperationException(method.getName());
        }));
    }
}
