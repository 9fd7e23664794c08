package io.sluice.source;

import io.sluice.schema.AscendingIntegers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows, field by field through a file's rows, whether each field's values so far are integers that ascend, each
 * greater than the one before; a field that once holds anything else (an empty field too) is out for the file.
 */
final class AscendingFields {
    private final long[] first;
    private final long[] last;
    private final long[] count;
    private final boolean[] seen;
    private final boolean[] out;

    AscendingFields(int fields) {
        first = new long[fields];
        last = new long[fields];
        count = new long[fields];
        seen = new boolean[fields];
        out = new boolean[fields];
    }

    /** The field's value in the row being read is the integer {@code value}. */
    void integer(int field, long value) {
        if (out[field]) {
            return;
        }
        if (!seen[field]) {
            first[field] = value;
            seen[field] = true;
        } else if (value <= last[field]) {
            out[field] = true;
            return;
        }
        last[field] = value;
        count[field]++;
    }

    /** The field's value in the row being read is not an integer whose value is known here. */
    void other(int field) {
        out[field] = true;
    }

    /** By name, the fields whose every value so far ascends; {@code names} names the fields in order. */
    Map<String, AscendingIntegers> ascending(List<String> names) {
        Map<String, AscendingIntegers> ascending = new HashMap<>();
        for (int field = 0; field < names.size(); field++) {
            if (seen[field] && !out[field]) {
                ascending.put(names.get(field), new AscendingIntegers(first[field], last[field], count[field]));
            }
        }
        return ascending;
    }
}
