package io.sluice.source;

import java.io.IOException;
import java.io.InputStream;

/** Parses one file format into items. */
sealed interface FileReader permits JsonLinesReader, CsvReader {
    /** @param name the file's name, for error messages */
    void read(InputStream input, String name, ItemSink sink) throws IOException;
}
