package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sluice.catalog.CatalogStore;
import io.sluice.catalog.CatalogTime;
import io.sluice.catalog.Run;
import io.sluice.catalog.RunState;
import io.sluice.catalog.Trigger;
import io.sluice.testing.FreshDataDirectory;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Crash recovery ends a run CRASHED only when its owner is provably gone. The other owners are real processes: child
 * JVMs that hold their owner lock in the data directory, as a server beside a one-shot {@code sluice run} does.
 */
@QuarkusTest
@QuarkusTestResource(FreshDataDirectory.class)
class CrashedRunsTest {
    @Inject
    RunExecutor executor;

    @Inject
    CatalogStore store;

    @Inject
    RunOwners owners;

    @Inject
    SluiceConfig config;

    @Test
    void runsOfALiveOwnerStayRunningAndThoseOfADeadOneCrash() throws Exception {
        Path ownersDirectory = config.dataDir().resolve("owners");
        String liveOwner = UUID.randomUUID().toString();
        String deadOwner = UUID.randomUUID().toString();
        Process live = holdLock(ownersDirectory.resolve(liveOwner + ".lock"));
        Process dead = holdLock(ownersDirectory.resolve(deadOwner + ".lock"));
        try {
            Run ofLive = running(liveOwner);
            Run ofDead = running(deadOwner);
            Run ofThisProcess = running(owners.self());
            Run ofNoOwner = running("");
            dead.destroyForcibly();
            assertTrue(dead.waitFor(30, TimeUnit.SECONDS), "the dead owner's process ended");

            executor.markCrashedRuns();

            assertEquals(RunState.RUNNING, stored(ofLive).state(), "a live owner keeps its runs");
            assertEquals(RunState.RUNNING, stored(ofThisProcess).state(), "this process keeps its runs");
            Run crashed = stored(ofDead);
            assertEquals(RunState.CRASHED, crashed.state());
            assertEquals("the process running it stopped before it ended: its owner, process " + deadOwner + ", is gone (its lock "
                    + ownersDirectory.resolve(deadOwner + ".lock") + " was free)", crashed.error());
            assertTrue(crashed.endTime().isPresent());
            assertFalse(Files.exists(ownersDirectory.resolve(deadOwner + ".lock")), "a gone owner's lock file is removed");
            Run legacy = stored(ofNoOwner);
            assertEquals(RunState.CRASHED, legacy.state());
            assertTrue(legacy.error().endsWith("it was stored by an earlier version, which recorded no owner"), legacy.error());
            assertTrue(Files.exists(ownersDirectory.resolve(owners.self() + ".lock")), "this process holds its own lock");

            live.destroyForcibly();
            assertTrue(live.waitFor(30, TimeUnit.SECONDS));
            executor.markCrashedRuns();
            assertEquals(RunState.CRASHED, stored(ofLive).state(), "once its owner is gone, its run crashes too");
            assertEquals(RunState.RUNNING, stored(ofThisProcess).state());
        } finally {
            live.destroyForcibly();
            dead.destroyForcibly();
        }
    }

    private Run running(String owner) {
        Run run = new Run(UUID.randomUUID().toString(), "owned", RunState.RUNNING, Trigger.API, "", CatalogTime.now(),
                Optional.of(CatalogTime.now()), Optional.empty(), "", 1, Optional.empty(), Optional.empty(), "", "");
        store.insertRun(run, owner);
        return run;
    }

    private Run stored(Run run) {
        return store.run(run.id()).orElseThrow();
    }

    /** Another JVM that locks {@code file} and holds it until it is killed (a minute at most); returns once it holds it. */
    private static Process holdLock(Path file) throws Exception {
        Path program = Files.createTempDirectory("owner").resolve("HoldLock.java");
        Files.writeString(program, """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;

                public class HoldLock {
                    public static void main(String[] arguments) throws Exception {
                        FileChannel channel = FileChannel.open(Path.of(arguments[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        channel.lock();
                        System.out.println("holding");
                        System.out.flush();
                        Thread.sleep(60_000);
                    }
                }
                """);
        Files.createDirectories(file.getParent());
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, program.toString(), file.toString()).redirectErrorStream(true).start();
        String first = new BufferedReader(new InputStreamReader(holder.getInputStream())).readLine();
        assertEquals("holding", first, "the owner process locked " + file);
        return holder;
    }
}
