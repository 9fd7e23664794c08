package io.sluice.source;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.sluice.pipeline.FilesystemSourceSpec.CsvOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CSV files: each line an item, named by the header line (or column_1, column_2, … without one), each field's value
 * what {@link CsvFields} reads it as. A row with more or fewer fields than the header names is rejected; bytes that are not valid in the
 * declared encoding fail the file, since no field after them can be trusted.
 */
final class CsvReader implements FileReader {
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    private final CsvOptions options;

    CsvReader(CsvOptions options) {
        this.options = options;
    }

    @Override
    public boolean read(InputStream input, String name, ItemSink sink) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(options.delimiter()).withQuoteChar(options.quote());
        if (options.escape().isPresent()) {
            schema = schema.withEscapeChar(options.escape().get());
        }
        Reader text = new DecodingReader(input, options.encoding());
        try (MappingIterator<List<String>> rows = CSV.readerForListOf(String.class).with(schema).readValues(text)) {
            List<String> columns = null;
            long line = 0;
            while (rows.hasNextValue()) {
                List<String> row = rows.nextValue();
                line++;
                if (columns == null && options.header()) {
                    columns = row;
                    continue;
                }
                long at = line;
                if (columns != null && row.size() != columns.size()) {
                    sink.rejected(() -> name + ":" + at, row.size() + " fields, but the header names " + columns.size());
                    continue;
                }
                Map<String, Object> item = new LinkedHashMap<>();
                for (int i = 0; i < row.size(); i++) {
                    item.put(columns == null ? "column_" + (i + 1) : columns.get(i), CsvFields.value(row.get(i)));
                }
                if (!sink.item(item, () -> name + ":" + at)) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeJsonMappingException e) {
            throw new SourceException(name + ": malformed CSV: " + e.getMessage(), false, e);
        } catch (DecodingReader.InvalidBytesException e) {
            throw new SourceException(name + ":" + e.line() + ": bytes that are not valid " + options.encoding().name()
                    + " (" + e.getMessage() + "); set the resource's csv.encoding to the files' charset", false, e);
        }
    }
}
