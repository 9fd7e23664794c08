package io.sluice.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** A source could not be read. {@code transientFailure} says whether trying again may succeed. */
public final class SourceException extends RuntimeException {
    private final boolean transientFailure;

    public SourceException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    public SourceException(String message) {
        this(message, false, null);
    }

    /**
     * Reading {@code what} failed with {@code cause}: transient when the I/O itself failed (a network mount that
     * dropped, a disk error), since that may pass; not when the file is gone, forbidden or its content malformed.
     */
    public static SourceException reading(String what, IOException cause) {
        boolean terminal = cause instanceof NoSuchFileException || cause instanceof AccessDeniedException
                || cause instanceof JsonProcessingException || cause instanceof CharacterCodingException;
        return new SourceException("cannot read " + what + ": " + cause.getMessage(), !terminal, cause);
    }

    public boolean transientFailure() {
        return transientFailure;
    }
}
