package io.sluice.schema;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A flat CSV file a source read once, without making an item of each row, and copied into the load package with each
 * row's id as its first field, so that the destination can read the copy as it is (a header line gains a first field
 * too). The source vouches that every row has the fields {@code fields} names, each non-empty field of one field has
 * the type that field's first value is inferred as (or the type {@code declaredTypes} gives it), and the copy's bytes are
 * the ones it judged.
 *
 * @param copy        the copy, in the load package
 * @param delimiter   between fields
 * @param quote       around fields that hold the delimiter, a quote or a line break; inside them a quote is doubled
 * @param header      whether the first line names the fields rather than holding a row
 * @param fields      the name of each field, as an item would have its key
 * @param firstValues each field's first non-empty value, as an item would hold it; null when all its fields are empty. A
 *                    source that gives {@code declaredTypes} may give a value of the field's type instead
 * @param firstSeen   the indexes of the fields with a value, in the order their first values come in the file
 * @param rows        the rows the file holds
 * @param longestLine the length in bytes of the copy's longest record (the header's too), with its line end
 * @param ascending   by name, the fields whose every row holds an integer greater than the row's before
 * @param declaredTypes for a source whose fields are typed before any value (an SQL table's columns, declared as the
 *                    database types them): the type every value of each field loads as, which its column must have;
 *                    empty for a file whose fields' types are inferred from their values
 */
public record ScannedCsv(Path copy, char delimiter, char quote, boolean header, List<String> fields, List<Object> firstValues,
                         List<Integer> firstSeen, long rows, long longestLine, Map<String, AscendingIntegers> ascending,
                         Optional<List<DataType>> declaredTypes) {
    public ScannedCsv {
        requireNonNull(copy, "copy is null");
        fields = List.copyOf(fields);
        ascending = Map.copyOf(ascending);
        firstValues = Collections.unmodifiableList(new ArrayList<>(firstValues));
        firstSeen = List.copyOf(firstSeen);
        if (firstValues.size() != fields.size()) {
            throw new IllegalArgumentException(fields.size() + " fields but " + firstValues.size() + " first values");
        }
        declaredTypes = declaredTypes.map(List::copyOf);
        if (declaredTypes.isPresent() && declaredTypes.get().size() != fields.size()) {
            throw new IllegalArgumentException(fields.size() + " fields but " + declaredTypes.get().size() + " declared types");
        }
    }
}
