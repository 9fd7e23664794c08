package io.sluice.source;

import io.sluice.schema.ScannedCsv;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Takes flat CSV files whole, as copies in the load package that the destination reads itself, instead of an item per
 * row: a sink offers it (see {@link ItemSink#csvCopies}) where nothing needs the items themselves.
 */
public interface CsvCopies {
    /** A new file in the load package to copy the next file into. */
    Path newCopy();

    /**
     * Writes into {@code into} from 0, as ASCII bytes, the id of the file's row {@code row} (counting from 0), which the
     * copy holds as its first field.
     *
     * @return how many bytes the id has
     */
    int rowId(long row, byte[] into);

    /**
     * Takes the copy of a file whose every field was judged, or refuses it: then the source reads the file again as
     * items, and the copy is removed.
     *
     * @param origin the file, for errors
     */
    boolean take(ScannedCsv file, Supplier<String> origin);
}
