package io.sluice.schema;

import java.util.List;
import java.util.Map;

/**
 * How to read a staged file that is a copy of a source's CSV file rather than written in the {@link StagedCsv} dialect:
 * the source's delimiter and quote (a quote inside a field doubled), whether its first line is a header to skip, and
 * after the first field (the row's id, {@link SystemColumns#ID}) the column each field loads into, or "" for a field
 * that loads into none (it was empty in every row). Every other column of the file's {@link TableFile} is null.
 * {@code ascending} names the columns whose every row holds an integer greater than the row's before (a package
 * sealed before copies told that has none).
 */
public record CsvLayout(char delimiter, char quote, boolean header, List<String> columns, Map<String, AscendingIntegers> ascending) {
    public CsvLayout {
        columns = List.copyOf(columns);
        ascending = ascending == null ? Map.of() : Map.copyOf(ascending);
    }
}
