package io.sluice.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HttpClientsTest {
    @Test
    void shuttingAClientDownEndsItsSelectorThreadSoNoneIsLeftInNativeCodeAtExit() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        HttpClient client = HttpClients.closedAtExit(HttpClient.newBuilder());
        Set<Thread> selectors = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread) && thread.getName().contains("SelectorManager"))
                .collect(Collectors.toSet());
        assertEquals(1, selectors.size(), "the client's selector thread runs while it is open");

        HttpClients.shutDown(client);

        assertTrue(client.isTerminated());
        for (Thread selector : selectors) {
            selector.join(5_000);
            assertFalse(selector.isAlive(), "the selector thread has ended");
        }
    }
}
