package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.pipeline.CursorValue;
import io.sluice.pipeline.PipelineState;
import io.sluice.schema.AscendingIntegers;
import io.sluice.schema.Column;
import io.sluice.schema.CsvLayout;
import io.sluice.schema.DataType;
import io.sluice.schema.MergeStrategy;
import io.sluice.schema.ReplaceStrategy;
import io.sluice.schema.Schema;
import io.sluice.schema.SortOrder;
import io.sluice.schema.TableFile;
import io.sluice.schema.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class LoadPackagesTest {
    @Test
    void aSealedPackageSurvivesItsOwnerAndIsReadBackWholeWithItsState() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        PackageContents written;
        Path staged;
        try (OwnedPackage owned = packages.create("orders", "load-1")) {
            staged = Files.writeString(owned.directory().resolve("items.0.csv"), "\"a\",1\n");
            List<Column> columns = List.of(new Column("name", DataType.TEXT), new Column("n", DataType.BIGINT));
            written = new PackageContents("shop", List.of(new TableFile("items", columns, staged, 1, 6)), new CommitPlan(
                    Optional.of(new Schema("orders", 3, List.of(new TableSchema("items", columns)))),
                    List.of(new LoadPackage.ReplacedTable("items", ReplaceStrategy.STAGING_OPTIMIZED, columns)),
                    List.of(new LoadPackage.MergedTable("items", List.of("items__tags"), new MergeStrategy.DeleteInsert(), List.of("name"),
                                    List.of(), Optional.of(new LoadPackage.DedupSort("n", SortOrder.DESCENDING)), Optional.of("gone")),
                            new LoadPackage.MergedTable("prices", List.of(), new MergeStrategy.Scd2("from", "to", Optional.of("n"),
                                    Optional.of(Instant.parse("9999-12-31T00:00:00Z")), Optional.of(Instant.parse("2024-05-01T10:00:00.123456Z"))),
                                    List.of(), List.of("day"), Optional.empty(), Optional.empty())),
                    List.of("old_items"), Optional.of(PipelineState.EMPTY.with("items", Optional.of(new PipelineState.Cursor("updated_at",
                            CursorValue.parse("2024-05-01T10:00:00Z"), List.of("key")))))));
            owned.seal(written, "run-1");
            assertTrue(packages.claimPending("orders").isEmpty(), "a package its run still owns is not anyone else's");
        }
        List<OwnedPackage> pending = packages.claimPending("orders");
        assertEquals(1, pending.size());
        LoadPackage read = pending.getFirst().sealed().orElseThrow();
        assertEquals(staged.getParent().resolve("new_jobs").resolve("items.0.csv"),
                read.files().getFirst().file(), "a sealed package's files are its new jobs");
        assertEquals(written.stagedFiles().stream().map(file -> new TableFile(file.table(), file.columns(), read.files().getFirst().file(),
                file.rows(), file.longestLine())).toList(), read.files(), "each file with its rows and longest line");
        assertEquals(new LoadPackage("orders", written.dataset(), "load-1", read.jobs(), written.commit()), read);
        assertEquals("\"a\",1\n", Files.readString(read.files().getFirst().file()));
        pending.getFirst().delete();
        assertTrue(packages.claimPending("orders").isEmpty(), "nothing pending while the run owns its package");
    }

    @Test
    void aPackageThatIsGoneIsNotClaimedNorMadeAgain() throws Exception {
        // listed by a run claiming the pipeline's packages, then removed by the run that committed it
        Path gone = Files.createTempDirectory("packages").resolve("orders").resolve("load-3");
        assertEquals(Optional.empty(), OwnedPackage.claim(gone, Optional.empty()));
        assertFalse(Files.exists(gone), "claiming it does not make its directory again");
    }

    @Test
    void runsMakingCommittingClaimingAndListingPackagesAtOnceNeverShareOrBreakOne() throws Exception {
        // Runs of one pipeline at once (its concurrency allows it) and an operator listing its packages: each makes,
        // commits, claims or lists packages as fast as it can, and every package must be whole and owned by one at a time.
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        Set<String> ownedByTheirRun = ConcurrentHashMap.newKeySet();
        AtomicInteger made = new AtomicInteger();
        AtomicInteger claimedFromOthers = new AtomicInteger();
        long until = System.nanoTime() + Duration.ofMillis(1500).toNanos();
        Callable<Void> run = () -> {
            while (System.nanoTime() < until) {
                for (OwnedPackage pending : packages.claimPending("orders")) {
                    String loadId = pending.directory().getFileName().toString();
                    assertFalse(ownedByTheirRun.contains(loadId), "claimed " + loadId + " while its run owns it");
                    pending.jobs().forEach(LoadPackages.LoadJob::state);
                    claimedFromOthers.incrementAndGet();
                    pending.committed();
                }
                String loadId = "load-" + made.incrementAndGet();
                OwnedPackage owned = packages.create("orders", loadId);
                ownedByTheirRun.add(loadId);
                owned.seal(packageOfTwoFiles(owned.directory()), "run-" + loadId);
                ownedByTheirRun.remove(loadId);
                if (made.get() % 2 == 0) {
                    owned.committed();
                } else {
                    owned.close(); // left for the next run, as a run whose load failed leaves it
                }
            }
            return null;
        };
        Callable<Void> operator = () -> {
            while (System.nanoTime() < until) {
                packages.pending("orders").forEach(pending -> assertEquals(2, pending.rows(), "a listed package is whole"));
            }
            return null;
        };
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            for (Future<Void> done : threads.invokeAll(List.of(run, run, run, operator), 30, TimeUnit.SECONDS)) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }
        packages.claimPending("orders").forEach(OwnedPackage::committed);
        try (var left = Files.list(packages.create("orders", "last").directory().getParent())) {
            assertEquals(List.of("last"), left.map(path -> path.getFileName().toString()).toList(),
                    "every package made was committed, nothing hidden left behind");
        }
        assertTrue(claimedFromOthers.get() > 0, "runs claimed what other runs left: " + claimedFromOthers.get() + " of " + made.get());
    }

    @Test
    void aPackageItsRunCommitsBetweenAClaimOpeningItsLockAndTakingItIsGoneNotClaimed() throws Exception {
        // `runs retry` (or a run claiming what others left) opens a package's lock file just as the run that owns it
        // commits it: the package leaves its load id, removed or kept under loaded/, then the run lets go of the lock.
        for (boolean keepCommitted : List.of(false, true)) {
            Path data = Files.createTempDirectory("packages");
            LoadPackages packages = new LoadPackages(data, keepCommitted);
            OwnedPackage committing = packages.create("orders", "load-9");
            committing.seal(packageOfTwoFiles(committing.directory()), "run-9");
            Path directory = committing.directory();
            assertEquals(Optional.empty(), OwnerLock.tryTakeIn(directory.resolve(".owner"), committing::committed),
                    "a lock taken once the package was gone claims nothing (kept: " + keepCommitted + ")");
            assertFalse(Files.exists(directory), "nothing made again where the package was");
            assertThrows(PackageNotFoundException.class, () -> packages.claim("orders", "load-9"));
        }
    }

    @Test
    void whyALoadFailedIsReadWholeWhileTheNextFailureReplacesIt() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        List<String> reasons = List.of("a".repeat(200_000), "b".repeat(300_000));
        try (OwnedPackage owned = packages.create("orders", "load-1")) {
            owned.seal(packageOfTwoFiles(owned.directory()), "run-1");
            owned.loadFailed(reasons.getFirst());
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<?> failing = threads.submit(() -> {
                    for (int attempt = 0; attempt < 300; attempt++) {
                        owned.loadFailed(reasons.get(attempt % 2));
                    }
                });
                Future<?> listing = threads.submit(() -> {
                    while (!failing.isDone()) {
                        String read = packages.pending("orders", "load-1").lastFailure().orElseThrow();
                        assertTrue(reasons.contains(read), "a reason read whole, not " + read.length() + " characters of one");
                    }
                });
                failing.get(30, TimeUnit.SECONDS);
                listing.get(30, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
            assertEquals(reasons.get(1), packages.pending("orders", "load-1").lastFailure().orElseThrow());
            try (var files = Files.list(owned.directory())) {
                assertEquals(List.of(".owner", "completed_jobs", "failed_jobs", "last_failure.txt", "manifest.json", "new_jobs",
                        "started_jobs"), files.map(file -> file.getFileName().toString()).sorted().toList(), "nothing else left beside it");
            }
        }
    }

    @Test
    void anOperatorListingAPackageWhoseJobsMoveBackAndForthFindsEachJob() throws Exception {
        // a run's commit into PostgreSQL starts its jobs, and a failed one takes them back to new, as an operator looks
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        try (OwnedPackage owned = packages.create("orders", "load-1")) {
            owned.seal(packageOfTwoFiles(owned.directory()), "run-1");
            LoadPackages.LoadJob job = owned.jobs().getFirst();
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<?> moving = threads.submit(() -> {
                    for (int attempt = 0; attempt < 10_000; attempt++) {
                        owned.move(job, LoadPackages.JobState.STARTED);
                        owned.move(job, LoadPackages.JobState.NEW);
                    }
                });
                Future<?> listing = threads.submit(() -> {
                    while (!moving.isDone()) {
                        LoadPackages.PendingPackage pending = packages.pending("orders", "load-1");
                        assertEquals(2, pending.jobs(LoadPackages.JobState.NEW) + pending.jobs(LoadPackages.JobState.STARTED));
                    }
                });
                moving.get(30, TimeUnit.SECONDS);
                listing.get(30, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
        }
    }

    @Test
    void whatADeadProcessLeftWhileRemovingOrMakingAPackageIsRemoved() throws Exception {
        Path data = Files.createTempDirectory("packages");
        Path pipeline = data.resolve("packages/orders");
        Path removing = Files.createDirectories(pipeline.resolve(".load-1.gone/new_jobs"));
        Files.writeString(removing.resolve("items.0.csv"), "\"a\",1\n");
        Path madeLongAgo = Files.createDirectories(pipeline.resolve(".load-2.new"));
        Files.writeString(madeLongAgo.resolve(".owner"), "");
        Files.setLastModifiedTime(madeLongAgo, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        Path beingMade = Files.createDirectories(pipeline.resolve(".load-3.new"));

        assertTrue(new LoadPackages(data).claimPending("orders").isEmpty(), "hidden packages are nobody's to claim");
        assertFalse(Files.exists(removing.getParent()), "a removal cut short is finished");
        assertFalse(Files.exists(madeLongAgo), "a package whose maker died before it appeared is removed");
        assertTrue(Files.exists(beingMade), "a package made just now is its maker's, who is about to move it into place");
    }

    @Test
    void aPackageSealedBeforePackagesCarriedStateIsStillLoadable() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        try (OwnedPackage owned = packages.create("orders", "load-0")) {
            Files.writeString(owned.directory().resolve("manifest.json"), """
                    {"pipeline": "orders", "dataset": "shop", "loadId": "load-0", "files": [], "newSchema": null,
                     "replacedTables": [], "mergedTables": []}""");
        }
        OwnedPackage pending = packages.claimPending("orders").getFirst();
        assertEquals(Optional.of(new LoadPackage("orders", "shop", "load-0", List.of(), new CommitPlan(Optional.empty(), List.of(),
                List.of(), List.of(), Optional.empty()))), pending.sealed());
        pending.delete();
    }

    @Test
    void aPackageOfThePreviousFormatWithoutAVersionIsLoadableWithItsJobs() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        // The previous build wrote the same manifest without its format version.
        sealedWithManifestRewritten(packages, "load-6", manifest -> assertEquals(2, manifest.remove("formatVersion").asInt(),
                "this build writes format version 2"));
        OwnedPackage pending = packages.claimPending("orders").getFirst();
        assertEquals("run-0", pending.sealedByRun());
        assertEquals(List.of(LoadPackages.JobState.COMPLETED, LoadPackages.JobState.NEW),
                pending.jobs().stream().map(LoadPackages.LoadJob::state).toList());
        assertEquals("\"a\",1\n", Files.readString(pending.jobs().getFirst().file().file()));
        assertEquals(1, pending.pending().jobs(LoadPackages.JobState.COMPLETED));
        pending.delete();
    }

    /** A file of a package an earlier build sealed has no longest line: 0, not known, and read as files always were. */
    @Test
    void aPackageSealedBeforeFilesCarriedTheirLongestLineHasItNotKnown() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        sealedWithManifestRewritten(packages, "load-9", manifest -> manifest.get("files")
                .forEach(file -> assertEquals(6, ((ObjectNode) file).remove("longestLine").asLong(), "\"a\",1 with its line end")));
        OwnedPackage pending = packages.claimPending("orders").getFirst();
        assertEquals(List.of(0L, 0L), pending.jobs().stream().map(job -> job.file().longestLine()).toList());
        pending.delete();
    }

    @Test
    void aPackageOfANewerFormatIsRefusedByNameAndLeftAsItIs() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        Path directory = sealedWithManifestRewritten(packages, "load-7", manifest -> manifest.put("formatVersion", 4));
        UnsupportedPackageException refused = assertThrows(UnsupportedPackageException.class, () -> packages.claimPending("orders"));
        assertEquals("load package load-7 has format version 4; this build reads up to 3", refused.getMessage());
        assertTrue(Files.exists(directory.resolve("manifest.json")), "a package this build cannot read stays for a build that can");
        try (OwnerLock lock = OwnerLock.tryTake(directory.resolve(".owner")).orElseThrow(() -> new AssertionError(
                "a refused package is not left owned: " + directory))) {
            assertEquals("load package load-7 has format version 4; this build reads up to 3",
                    assertThrows(UnsupportedPackageException.class, () -> packages.pending("orders")).getMessage());
        }
    }

    private static final CsvLayout COPY_LAYOUT = new CsvLayout('\t', '\'', true, List.of("n", ""), Map.of("n", new AscendingIntegers(1, 1, 1)));

    @Test
    void aPackageWithACopyOfASourceFileIsOfTheNewerFormatAndReadBackWithTheCopysLayout() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        Path directory = sealedCopy(packages, "load-8");
        assertEquals(3, new ObjectMapper().readTree(directory.resolve("manifest.json").toFile()).get("formatVersion").asInt(),
                "an older build must not read a copy as a staged file");
        OwnedPackage pending = packages.claimPending("orders").getFirst();
        assertEquals(Optional.of(COPY_LAYOUT), pending.sealed().orElseThrow().files().getFirst().layout());
        pending.delete();
    }

    /** A copy sealed before ascending fields were counted has them not counted: 0, so never taken for every integer of their range. */
    @Test
    void aCopySealedBeforeAscendingFieldsWereCountedHasThemNotCounted() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        Path manifest = sealedCopy(packages, "load-8").resolve("manifest.json");
        ObjectNode written = (ObjectNode) new ObjectMapper().readTree(manifest.toFile());
        assertEquals(1, ((ObjectNode) written.at("/files/0/layout/ascending/n")).remove("count").asLong());
        new ObjectMapper().writeValue(manifest.toFile(), written);
        OwnedPackage pending = packages.claimPending("orders").getFirst();
        assertEquals(Map.of("n", new AscendingIntegers(1, 1, 0)), pending.sealed().orElseThrow().files().getFirst().layout().orElseThrow().ascending());
        pending.delete();
    }

    /** A package of one job, a copy of a source's file with {@link #COPY_LAYOUT}, sealed by run-8. */
    private static Path sealedCopy(LoadPackages packages, String loadId) throws Exception {
        List<Column> columns = List.of(new Column("_sluice_id", DataType.TEXT), new Column("n", DataType.BIGINT));
        try (OwnedPackage owned = packages.create("orders", loadId)) {
            Path copy = Files.writeString(owned.directory().resolve("items.copy-0.csv"), "_sluice_id\tn\tskipped\nid0\t1\t\n");
            owned.seal(new PackageContents("shop", List.of(new TableFile("items", columns, copy, 1, 18, Optional.of(COPY_LAYOUT))),
                    new CommitPlan(Optional.empty(), List.of(), List.of(), List.of(), Optional.empty())), "run-8");
            return owned.directory();
        }
    }

    /** A package of two jobs, the first completed, sealed by run-0, whose manifest is then rewritten as another build would have written it. */
    private static Path sealedWithManifestRewritten(LoadPackages packages, String loadId, Consumer<ObjectNode> rewrite) throws Exception {
        Path directory;
        try (OwnedPackage owned = packages.create("orders", loadId)) {
            directory = owned.directory();
            owned.seal(packageOfTwoFiles(directory), "run-0");
            owned.move(owned.jobs().getFirst(), LoadPackages.JobState.COMPLETED);
        }
        Path manifest = directory.resolve("manifest.json");
        ObjectNode json = (ObjectNode) new ObjectMapper().readTree(manifest.toFile());
        rewrite.accept(json);
        Files.writeString(manifest, json.toString());
        return directory;
    }

    @Test
    void jobsMoveBetweenFoldersAndTheirStateSurvivesTheOwner() throws Exception {
        LoadPackages packages = new LoadPackages(Files.createTempDirectory("packages"));
        try (OwnedPackage owned = packages.create("orders", "load-3")) {
            owned.seal(packageOfTwoFiles(owned.directory()), "run-1");
            List<LoadPackages.LoadJob> jobs = owned.jobs();
            assertEquals(List.of(LoadPackages.JobState.NEW, LoadPackages.JobState.NEW), jobs.stream().map(LoadPackages.LoadJob::state).toList());
            LoadPackages.LoadJob started = owned.move(jobs.get(0), LoadPackages.JobState.STARTED);
            owned.move(started, LoadPackages.JobState.COMPLETED);
            assertEquals(LoadPackages.JobState.COMPLETED, jobs.get(0).state(), "a job value follows its job from folder to folder");
            assertEquals(owned.directory().resolve("completed_jobs/items.0.csv"), jobs.get(0).file().file());
            LoadPackages.LoadJob failed = owned.fail(owned.move(jobs.get(1), LoadPackages.JobState.STARTED), "disk full");
            assertTrue(failed.file().file().toString().contains("/failed_jobs/"), "a failed job is in failed_jobs/: " + failed.file().file());
            assertEquals("disk full", Files.readString(failed.file().file().resolveSibling("items.1.csv.exception")));
        }
        OwnedPackage resumed = packages.claimPending("orders").getFirst();
        List<LoadPackages.LoadJob> jobs = resumed.jobs();
        assertEquals(List.of(LoadPackages.JobState.COMPLETED, LoadPackages.JobState.FAILED),
                jobs.stream().map(LoadPackages.LoadJob::state).toList());
        LoadPackages.LoadJob retried = resumed.move(jobs.get(1), LoadPackages.JobState.STARTED);
        assertFalse(Files.exists(resumed.directory().resolve("failed_jobs/items.1.csv.exception")), "a retried job sheds its old failure");
        assertEquals(resumed.directory().resolve("started_jobs/items.1.csv"), jobs.get(1).file().file());
        assertEquals("\"b\",2\n", Files.readString(retried.file().file()));
        resumed.delete();
    }

    @Test
    void committedPackagesAreRemovedOrKeptWhenAskedTo() throws Exception {
        Path data = Files.createTempDirectory("packages");
        try (OwnedPackage owned = new LoadPackages(data).create("orders", "load-4")) {
            owned.seal(packageOfTwoFiles(owned.directory()), "run-1");
            owned.committed();
        }
        assertFalse(Files.exists(data.resolve("packages/orders/load-4")), "a committed package is removed");
        assertFalse(Files.exists(data.resolve("loaded")), "committed packages are not kept unless asked");

        try (OwnedPackage owned = new LoadPackages(data, true).create("orders", "load-5")) {
            owned.seal(packageOfTwoFiles(owned.directory()), "run-1");
            owned.committed();
        }
        assertFalse(Files.exists(data.resolve("packages/orders/load-5")), "a kept committed package leaves packages/");
        assertTrue(Files.exists(data.resolve("loaded/orders/load-5/manifest.json")), "a kept committed package keeps its manifest under loaded/");
        assertTrue(Files.exists(data.resolve("loaded/orders/load-5/new_jobs/items.0.csv")), "a kept committed package keeps its job files under loaded/");
    }

    private static PackageContents packageOfTwoFiles(Path directory) throws Exception {
        List<Column> columns = List.of(new Column("name", DataType.TEXT), new Column("n", DataType.BIGINT));
        return new PackageContents("shop", List.of(
                new TableFile("items", columns, Files.writeString(directory.resolve("items.0.csv"), "\"a\",1\n"), 1, 6),
                new TableFile("items", columns, Files.writeString(directory.resolve("items.1.csv"), "\"b\",2\n"), 1, 6)),
                new CommitPlan(Optional.empty(), List.of(), List.of(), List.of(), Optional.empty()));
    }

    @Test
    void anUnsealedPackageWithoutOwnerIsWhatACrashLeftAndIsRemoved() throws Exception {
        Path data = Files.createTempDirectory("packages");
        LoadPackages packages = new LoadPackages(data);
        Path directory;
        try (OwnedPackage owned = packages.create("orders", "load-2")) {
            directory = owned.directory();
            Files.writeString(directory.resolve("items.0.csv"), "half a package");
        }
        assertTrue(packages.claimPending("orders").isEmpty(), "an unsealed package is not pending");
        assertFalse(Files.exists(directory), "an unsealed package nobody owns is removed: " + directory);
    }
}
