package io.sluice.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParseException;
import io.sluice.load.LoadException;
import io.sluice.normalize.ContractViolationException;
import io.sluice.pipeline.InvalidSpecException;
import io.sluice.pipeline.PipelineSpecs;
import io.sluice.pipeline.SpecReader;
import io.sluice.security.MissingSecretException;
import io.sluice.source.SourceException;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailuresTest {
    @Test
    void onlyFailuresClassifiedTransientWhereThrownAreRetried() {
        LoadException unreachable = new LoadException("cannot connect", true, null);
        assertTrue(Failures.transientFailure(unreachable), "an unreachable server is transient");
        assertTrue(Failures.transientFailure(new IllegalStateException("wrapped", unreachable)), "found down the cause chain");
        assertFalse(Failures.transientFailure(new LoadException("null value in column", false, null)), "a constraint violation is terminal");
        assertFalse(Failures.transientFailure(new LoadException("wrapped", false, unreachable)), "the outermost classification wins");
        assertFalse(Failures.transientFailure(new ContractViolationException("frozen")), "a contract violation is terminal");
        assertFalse(Failures.transientFailure(new MissingSecretException("secret 'x' is not set")), "a missing secret is terminal");
        assertFalse(Failures.transientFailure(new RunControl.RunStoppedException("cancelled on request")), "a stopped run is terminal");
        assertFalse(Failures.transientFailure(new InterruptedException()), "an interruption is terminal");
        InvalidSpecException invalid = org.junit.jupiter.api.Assertions.assertThrows(InvalidSpecException.class,
                () -> PipelineSpecs.toSpec(SpecReader.parse("name: x", ""), ""));
        assertFalse(Failures.transientFailure(invalid), "an invalid spec is terminal");
    }

    @Test
    void aSourceIsTransientWhenItsIoFailsNotWhenItsFilesAreWrong() {
        assertTrue(SourceException.reading("/mnt/share/a.jsonl", new IOException("Stale file handle")).transientFailure(), "a stale file handle is transient");
        assertTrue(Failures.transientFailure(SourceException.reading("/mnt/share", new IOException("Input/output error"))), "an I/O error is transient");
        for (IOException permanent : List.of(new NoSuchFileException("/data/a.jsonl"), new AccessDeniedException("/data/a.jsonl"),
                new JsonParseException(null, "Unexpected end-of-input"), new MalformedInputException(1))) {
            assertFalse(SourceException.reading("/data/a.jsonl", permanent).transientFailure(), permanent.toString());
        }
        assertEquals("cannot read /data/a.jsonl: Stale file handle",
                SourceException.reading("/data/a.jsonl", new IOException("Stale file handle")).getMessage());
    }

    @Test
    void describesAFailureWithTheCausesThatAddSomething() {
        assertEquals("loading failed: connection refused", Failures.describe(new LoadException("loading failed",
                true, new IOException("connection refused"))));
        assertEquals("loading failed: connection refused", Failures.describe(new LoadException("loading failed: connection refused",
                true, new IOException("connection refused"))));
    }
}
