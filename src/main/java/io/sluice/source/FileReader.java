package io.sluice.source;

import java.io.IOException;
import java.io.InputStream;

/** Parses one file format into items. */
sealed interface FileReader permits JsonLinesReader, JsonArrayReader, CsvReader, ParquetReader {
    /**
     * @param name the file's name, for error messages
     * @return false when the sink wanted no more items, so no further file need be read
     */
    boolean read(InputStream input, String name, ItemSink sink) throws IOException;
}
