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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CSV files: each line an item, named by the header line (or column_1, column_2, … without one). CSV has no
 * types, so each field is read as the narrowest of boolean, integer, number or text it spells; an empty field
 * is null. A row with more or fewer fields than the header names is rejected; bytes that are not valid in the
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
                    item.put(columns == null ? "column_" + (i + 1) : columns.get(i), value(row.get(i)));
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

    /** Scans the field once: every field of every row passes here. */
    static Object value(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.valueOf(text.toLowerCase(Locale.ROOT));
        }
        return switch (numberKind(text)) {
            case INTEGER -> Long.parseLong(text);
            case BIG_INTEGER -> new BigInteger(text);
            case DECIMAL -> Double.parseDouble(text);
            case EXACT_DECIMAL -> new BigDecimal(text);
            case NONE -> text;
        };
    }

    private enum NumberKind {
        INTEGER,
        BIG_INTEGER,
        DECIMAL,
        /** More digits than a double holds exactly. */
        EXACT_DECIMAL,
        NONE
    }

    /**
     * An integer without leading zeros (so "00501" stays text), or a decimal number; those with more digits than
     * a long or a double keeps exactly are read exactly.
     */
    private static NumberKind numberKind(String text) {
        int at = text.charAt(0) == '-' || text.charAt(0) == '+' ? 1 : 0;
        int digitsStart = at;
        while (at < text.length() && Character.isDigit(text.charAt(at))) {
            at++;
        }
        int integerDigits = at - digitsStart;
        if (at == text.length()) {
            boolean leadingZero = integerDigits > 1 && text.charAt(digitsStart) == '0';
            return integerDigits == 0 || leadingZero ? NumberKind.NONE
                    : integerDigits <= 18 ? NumberKind.INTEGER : NumberKind.BIG_INTEGER;
        }
        int fractionDigits = 0;
        if (text.charAt(at) == '.') {
            at++;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
                fractionDigits++;
            }
        }
        if (integerDigits + fractionDigits == 0) {
            return NumberKind.NONE;
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            at++;
            if (at < text.length() && (text.charAt(at) == '-' || text.charAt(at) == '+')) {
                at++;
            }
            int exponentStart = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (at == exponentStart) {
                return NumberKind.NONE;
            }
        }
        if (at != text.length()) {
            return NumberKind.NONE;
        }
        return integerDigits + fractionDigits > 15 ? NumberKind.EXACT_DECIMAL : NumberKind.DECIMAL;
    }
}
