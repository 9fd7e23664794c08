package io.sluice.source;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CSV files: each line an item, named by the header line (or column_1, column_2, … without one). CSV has no
 * types, so each field is read as the narrowest of boolean, integer, number or text it spells; an empty field
 * is null.
 */
final class CsvReader implements FileReader {
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
    private static final Pattern INTEGER = Pattern.compile("[-+]?(0|[1-9]\\d{0,17})");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");

    private final char delimiter;
    private final boolean header;

    CsvReader(char delimiter, boolean header) {
        this.delimiter = delimiter;
        this.header = header;
    }

    @Override
    public void read(InputStream input, String name, ItemSink sink) throws IOException {
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter);
        try (MappingIterator<List<String>> rows = CSV.readerForListOf(String.class).with(schema).readValues(input)) {
            List<String> columns = null;
            long line = 0;
            while (rows.hasNextValue()) {
                List<String> row = rows.nextValue();
                line++;
                if (columns == null && header) {
                    columns = row;
                    continue;
                }
                long at = line;
                if (columns != null && row.size() > columns.size()) {
                    sink.rejected(() -> name + ":" + at, row.size() + " fields, but the header names " + columns.size());
                    continue;
                }
                Map<String, Object> item = new LinkedHashMap<>();
                for (int i = 0; i < row.size(); i++) {
                    item.put(columns == null ? "column_" + (i + 1) : columns.get(i), value(row.get(i)));
                }
                sink.item(item, () -> name + ":" + at);
            }
        } catch (RuntimeJsonMappingException e) {
            throw new SourceException(name + ": malformed CSV: " + e.getMessage(), false, e);
        }
    }

    static Object value(String text) {
        if (text.isEmpty()) {
            return null;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("true") || lower.equals("false")) {
            return Boolean.valueOf(lower);
        }
        if (INTEGER.matcher(text).matches()) {
            return Long.parseLong(text);
        }
        if (NUMBER.matcher(text).matches()) {
            return Double.parseDouble(text);
        }
        return text;
    }
}
