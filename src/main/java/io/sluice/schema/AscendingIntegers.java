package io.sluice.schema;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A field of a copied CSV file whose every row holds an integer greater than the row's before: no two rows of the file
 * share its value, and all of them lie from {@code first} to {@code last}. A merge whose files say so of its key need
 * not count its rows to know that none shares a key with another (see {@link #apart}).
 */
public record AscendingIntegers(long first, long last) {
    public AscendingIntegers {
        if (last < first) {
            throw new IllegalArgumentException("ascending integers end at " + last + ", before their first, " + first);
        }
    }

    /** Whether no value lies in two of the ranges: the files they describe share none, as no file shares one within. */
    public static boolean apart(Collection<AscendingIntegers> ranges) {
        List<AscendingIntegers> byFirst = ranges.stream().sorted(Comparator.comparingLong(AscendingIntegers::first)).toList();
        for (int index = 1; index < byFirst.size(); index++) {
            if (byFirst.get(index).first() <= byFirst.get(index - 1).last()) {
                return false;
            }
        }
        return true;
    }
}
