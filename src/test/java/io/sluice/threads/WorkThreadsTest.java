package io.sluice.threads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkThreadsTest {
    @Test
    void aRunOnPlatformThreadsGetsAPlatformDaemonThreadAndOtherwiseAVirtualOne() {
        Thread platform = WorkThreads.run(true, "run-1").unstarted(() -> { });
        Thread virtual = WorkThreads.run(false, "run-2").unstarted(() -> { });

        assertFalse(platform.isVirtual());
        assertTrue(platform.isDaemon(), "a run never keeps a stopping process alive");
        assertEquals("run-1", platform.getName());
        assertTrue(virtual.isVirtual());
        assertEquals("run-2", virtual.getName());
    }

    @Test
    void aHelperIsOfTheKindOfTheThreadThatStartsIt() throws Exception {
        assertEquals("platform daemon sql-rows", helperKindStartedOn(WorkThreads.run(true, "run-platform")));
        assertEquals("virtual sql-rows", helperKindStartedOn(WorkThreads.run(false, "run-virtual")));
    }

    @Test
    void numberedHelpersAreOfTheKindOfTheThreadThatMakesThem() throws Exception {
        CompletableFuture<String> names = new CompletableFuture<>();
        WorkThreads.run(true, "run").start(() -> {
            var factory = WorkThreads.helpers("extract-").factory();
            Thread first = factory.newThread(() -> { });
            Thread second = factory.newThread(() -> { });
            names.complete(first.getName() + " " + second.getName() + " " + first.isVirtual());
        });
        assertEquals("extract-0 extract-1 false", names.get(10, TimeUnit.SECONDS));
    }

    private static String helperKindStartedOn(Thread.Builder run) throws Exception {
        CompletableFuture<String> kind = new CompletableFuture<>();
        run.start(() -> {
            Thread helper = WorkThreads.helper("sql-rows").unstarted(() -> { });
            kind.complete((helper.isVirtual() ? "virtual " : helper.isDaemon() ? "platform daemon " : "platform ") + helper.getName());
        });
        return kind.get(10, TimeUnit.SECONDS);
    }
}
