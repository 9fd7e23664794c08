package io.sluice.source;

import io.sluice.schema.ScannedCsv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Copies into a directory of a test's, a row's id {@code id} and its number, and takes every copy it is offered or none;
 * it keeps the copies it offered and those it took.
 */
public final class RecordingCopies implements CsvCopies {
    private final Path directory;
    private final boolean takes;
    public final List<Path> offered = new ArrayList<>();
    public final List<ScannedCsv> taken = new ArrayList<>();

    /** @param takes whether it takes the copies, or refuses every one */
    public RecordingCopies(Path directory, boolean takes) {
        this.directory = directory;
        this.takes = takes;
    }

    @Override
    public Path newCopy() {
        Path copy = directory.resolve("copy-" + offered.size() + ".csv");
        offered.add(copy);
        return copy;
    }

    @Override
    public int rowId(long row, byte[] into) {
        byte[] id = ("id" + row).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, into, 0, id.length);
        return id.length;
    }

    @Override
    public boolean take(ScannedCsv file, Supplier<String> origin) {
        if (takes) {
            taken.add(file);
        }
        return takes;
    }
}
