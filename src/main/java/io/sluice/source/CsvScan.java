package io.sluice.source;

import io.sluice.pipeline.FilesystemSourceSpec.CsvOptions;
import io.sluice.schema.DataType;
import io.sluice.schema.Detection;
import io.sluice.schema.ScannedCsv;
import io.sluice.schema.SystemColumns;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a CSV file's bytes once, judging every field by {@link CsvFields}' rules without making a value of it, and
 * copies the bytes into the load package with each row's id put in front, so the destination can read the copy with
 * the types the fields make. Only a file {@link CsvReader} and the destinations' readers (DuckDB's and PostgreSQL's)
 * would read alike is copied: any field or row where they could differ, or where the normal path reports something (a
 * row with the wrong number of fields, bytes not valid in the encoding, a quoted empty or non-text field, a field whose
 * type differs from its first value's, a wide integer or exact decimal, a number beyond a double's range, a line that
 * is empty or ends in a lone carriage return, line ends of both kinds, an escape character, a byte-order mark) ends the
 * scan, and the file is read as items instead. It is longer than most classes: one loop over the bytes and the
 * judgement of each field, which must agree with CsvReader's, read best side by side.
 */
final class CsvScan {
    private static final int BUFFER = 1 << 16;
    private static final byte[] ID_FIELD = SystemColumns.ID.getBytes(StandardCharsets.US_ASCII);

    private final CsvOptions options;
    private final Set<Detection> detections;
    /** Whether ISO timestamps are detected, which a field's shape may then tell ({@link CsvFieldBytes#shapeType}). */
    private final boolean timestamps;
    private final byte delimiter;
    private final byte quote;
    /** The escape character when it is not the quote, which no copied file may hold; -1 for none. */
    private final int escape;

    /**
     * The bytes the loop must look at one by one (the delimiter, quote, line ends, the zero byte and the escape; 0xFF
     * when there is no escape, as -1 stands for none): an unquoted field's other bytes are taken as a run.
     */
    private final boolean[] special = new boolean[256];
    private final CsvFieldBytes field;
    private final byte[] rowId = new byte[64];
    /** The header's names (column_1, … without one) until the first line ends. */
    private final List<String> header = new ArrayList<>();
    /** The first row of a file without a header, judged once its end says how many fields rows have. */
    private final List<Pending> pending = new ArrayList<>();
    private List<String> names;
    private DataType[] types;
    private Object[] firstValues;
    private AscendingFields ascending;
    private final List<Integer> firstSeen = new ArrayList<>();
    private int fieldIndex;
    private boolean quoted;
    private long rows;
    /** Where in the copy the record being read starts, and the length of the longest record before it, line end and all. */
    private long recordOffset;
    private long longestLine;

    private CsvScan(CsvOptions options, Set<Detection> detections) {
        this.options = options;
        this.detections = detections;
        this.timestamps = detections.contains(Detection.ISO_TIMESTAMP);
        this.delimiter = (byte) options.delimiter();
        this.quote = (byte) options.quote();
        this.escape = options.escape().filter(character -> character != options.quote()).map(character -> (int) character).orElse(-1);
        this.field = new CsvFieldBytes(options.encoding().equals(StandardCharsets.US_ASCII));
        for (int character : new int[] {delimiter, quote, '\n', '\r', 0, escape}) {
            special[character & 0xff] = true;
        }
    }

    /**
     * Whether files of this dialect can be copied: UTF-8 or ASCII text, whose delimiter, quote and escape are ASCII
     * characters that cannot be part of a row id or a line break.
     */
    static boolean copies(CsvOptions options) {
        return (options.encoding().equals(StandardCharsets.UTF_8) || options.encoding().equals(StandardCharsets.US_ASCII))
                && plain(options.delimiter()) && plain(options.quote()) && options.delimiter() != options.quote()
                && options.escape().map(escape -> plain(escape) && escape != options.delimiter()).orElse(true);
    }

    private static boolean plain(char character) {
        return character == '\t' || (character > ' ' && character < 0x7f && !Character.isLetterOrDigit(character)
                && character != '-' && character != '_');
    }

    /**
     * Copies {@code file} into a new file of {@code copies} and hands it over; the copy is removed when the file cannot
     * be copied or {@code copies} refuses it.
     *
     * @return whether {@code copies} took it (false: read the file as items)
     */
    static boolean copy(Path file, String name, CsvOptions options, Set<Detection> detections, CsvCopies copies) throws IOException {
        Path copy = copies.newCopy();
        boolean taken = false;
        try {
            CsvScan scan = new CsvScan(options, detections);
            Optional<ScannedCsv> scanned = scan.scan(file, copy, copies);
            taken = scanned.isPresent() && copies.take(scanned.get(), () -> name);
            return taken;
        } finally {
            if (!taken) {
                Files.deleteIfExists(copy);
            }
        }
    }

    /** Empty when the file cannot be copied. */
    private Optional<ScannedCsv> scan(Path file, Path copy, CsvCopies copies) throws IOException {
        byte[] buffer = new byte[BUFFER];
        boolean recordStart = true;
        boolean inQuotes = false;
        boolean quoteInQuotes = false;
        boolean carriageReturn = false;
        // Whether lines end in "\r\n" rather than "\n", once the first one ended: a file that mixes them is not copied.
        Boolean crlf = null;
        boolean first = true;
        try (InputStream input = Files.newInputStream(file);
             CopyOutput output = new CopyOutput(copy, BUFFER)) {
            for (int read = input.read(buffer); read > 0; read = input.read(buffer)) {
                int copiedTo = 0;
                if (first && read >= 3 && (buffer[0] & 0xff) == 0xEF && (buffer[1] & 0xff) == 0xBB && (buffer[2] & 0xff) == 0xBF) {
                    return Optional.empty();
                }
                first = false;
                for (int at = 0; at < read; at++) {
                    if (recordStart) {
                        output.write(buffer, copiedTo, at - copiedTo);
                        copiedTo = at;
                        recordEnded(output);
                        writeId(output, copies);
                        recordStart = false;
                    }
                    if (!inQuotes && !carriageReturn) {
                        // The bytes up to the next one that means something are the field's, taken in one go.
                        int end = at;
                        int bits = 0;
                        while (end < read && !special[buffer[end] & 0xff]) {
                            bits |= buffer[end];
                            end++;
                        }
                        if (end > at) {
                            field.add(buffer, at, end, bits >= 0);
                            at = end;
                            if (at == read) {
                                break;
                            }
                        }
                    }
                    byte next = buffer[at];
                    if (next == 0 || next == escape) {
                        return Optional.empty();
                    }
                    if (carriageReturn && next != '\n') {
                        return Optional.empty();
                    }
                    if (inQuotes) {
                        if (quoteInQuotes) {
                            quoteInQuotes = false;
                            if (next == quote) {
                                field.add(next);
                                continue;
                            }
                            inQuotes = false;
                        } else if (next == quote) {
                            quoteInQuotes = true;
                            continue;
                        } else if (next == '\r') {
                            return Optional.empty();
                        } else {
                            field.add(next);
                            continue;
                        }
                        if (next != delimiter && next != '\n' && next != '\r') {
                            return Optional.empty();
                        }
                    }
                    if (next == delimiter) {
                        if (!endField()) {
                            return Optional.empty();
                        }
                    } else if (next == '\r') {
                        carriageReturn = true;
                    } else if (next == '\n') {
                        if (crlf != null && crlf != carriageReturn) {
                            return Optional.empty();
                        }
                        crlf = carriageReturn;
                        carriageReturn = false;
                        if (!endField() || !endRecord()) {
                            return Optional.empty();
                        }
                        recordStart = true;
                    } else if (next == quote) {
                        if (!field.isEmpty() || quoted) {
                            return Optional.empty();
                        }
                        quoted = true;
                        inQuotes = true;
                    } else {
                        field.add(next);
                    }
                }
                output.write(buffer, copiedTo, read - copiedTo);
            }
            boolean openRecord = !recordStart && !first;
            if ((inQuotes && !quoteInQuotes) || carriageReturn || (openRecord && (!endField() || !endRecord()))) {
                return Optional.empty();
            }
            recordEnded(output);
        }
        if (names == null || rows == 0) {
            return Optional.empty();
        }
        return Optional.of(new ScannedCsv(copy, options.delimiter(), options.quote(), options.header(), names,
                Arrays.asList(firstValues), firstSeen, rows, longestLine, ascending.ascending(names), Optional.empty()));
    }

    /** The copy's bytes up to here end a record (or none): the next one starts here. */
    private void recordEnded(CopyOutput output) {
        long end = output.written();
        longestLine = Math.max(longestLine, end - recordOffset);
        recordOffset = end;
    }

    /** The first field of a record: the name of the id column on a header line, else the row's id. */
    private void writeId(CopyOutput output, CsvCopies copies) throws IOException {
        if (names == null && options.header()) {
            output.write(ID_FIELD, 0, ID_FIELD.length);
        } else {
            output.write(rowId, 0, copies.rowId(rows, rowId));
        }
        output.write(delimiter);
    }

    /** Judges the field just read; false when the file cannot be copied. */
    private boolean endField() {
        try {
            if (names == null) {
                return headerField();
            }
            if (fieldIndex >= types.length) {
                return false;
            }
            return quoted ? quotedField() : plainField();
        } finally {
            fieldIndex++;
            field.clear();
            quoted = false;
        }
    }

    private boolean endRecord() {
        int fields = fieldIndex;
        fieldIndex = 0;
        if (names == null) {
            return startColumns(fields);
        }
        if (fields != types.length) {
            return false;
        }
        rows++;
        return true;
    }

    /** A header field, or a first row's field when the file has no header (it is a row too, then). */
    private boolean headerField() {
        if (options.header()) {
            if (field.isEmpty()) {
                return false;
            }
            Optional<String> name = field.text();
            header.add(name.orElse(""));
            return name.isPresent();
        }
        header.add("column_" + (fieldIndex + 1));
        // The first row of a file without a header: judged once its number of fields is known.
        pending.add(new Pending(quoted, field.copy()));
        return true;
    }

    /** A field of a header-less file's first row, kept until the row's end says how many fields rows have. */
    private record Pending(boolean quoted, CsvFieldBytes text) {
    }

    private boolean startColumns(int fields) {
        if (fields == 0 || fields != header.size() || new HashSet<>(header).size() != header.size()) {
            return false;
        }
        names = List.copyOf(header);
        types = new DataType[fields];
        firstValues = new Object[fields];
        ascending = new AscendingFields(fields);
        if (options.header()) {
            return true;
        }
        for (int index = 0; index < fields; index++) {
            Pending first = pending.get(index);
            fieldIndex = index;
            quoted = first.quoted();
            field.set(first.text());
            if (!(quoted ? quotedField() : plainField())) {
                return false;
            }
        }
        fieldIndex = 0;
        quoted = false;
        field.clear();
        if (fields == 1 && types[0] == null) {
            return false;
        }
        rows++;
        return true;
    }

    /** A quoted field: CsvReader and the destination read it alike only when it is text that is not empty. */
    private boolean quotedField() {
        return !field.isEmpty() && textField();
    }

    /**
     * A field judged from its decoded characters, which is copied only when it is text: a number spelled in other
     * digits, or a quoted number, could be read apart.
     */
    private boolean textField() {
        ascending.other(fieldIndex);
        Optional<String> text = field.text();
        return text.isPresent() && CsvFields.type(text.get(), detections) == DataType.TEXT && seen(DataType.TEXT, text.get());
    }

    private boolean plainField() {
        if (field.isEmpty()) {
            ascending.other(fieldIndex);
            // In a file of one field, an empty field is an empty line, which CsvReader and the destination may read apart.
            return types.length > 1;
        }
        if (!field.isAscii()) {
            return textField();
        }
        DataType shape = field.shapeType(timestamps);
        DataType type = shape != null ? shape : CsvFields.type(field, detections);
        if (type == null || (type == DataType.DOUBLE && field.hasExponent() && outOfRange())) {
            return false;
        }
        if (shape == DataType.BIGINT) {
            ascending.integer(fieldIndex, field.integerValue());
        } else {
            ascending.other(fieldIndex);
        }
        return seen(type, null);
    }

    /**
     * A number whose exponent takes it beyond a double's range: too large (the normal path makes it infinite) or too
     * small, which the normal path reads as zero and PostgreSQL refuses as out of range.
     */
    private boolean outOfRange() {
        double value = Double.parseDouble(field.toString());
        return !Double.isFinite(value) || (value == 0 && field.hasNonZeroDigit());
    }

    /** Whether the field's type is its column's; the first value of a column is kept. */
    private boolean seen(DataType type, String text) {
        DataType known = types[fieldIndex];
        if (known == null) {
            types[fieldIndex] = type;
            firstValues[fieldIndex] = CsvFields.value(text == null ? field.toString() : text);
            firstSeen.add(fieldIndex);
            return true;
        }
        return known == type;
    }
}
