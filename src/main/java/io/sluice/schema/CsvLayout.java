package io.sluice.schema;

import java.util.List;

/**
 * How to read a staged file that is a copy of a source's CSV file rather than written in the {@link StagedCsv} dialect:
 * the source's delimiter and quote (a quote inside a field doubled), whether its first line is a header to skip, and
 * after the first field (the row's id, {@link SystemColumns#ID}) the column each field loads into, or "" for a field
 * that loads into none (it was empty in every row). Every other column of the file's {@link TableFile} is null.
 */
public record CsvLayout(char delimiter, char quote, boolean header, List<String> columns) {
    public CsvLayout {
        columns = List.copyOf(columns);
    }
}
