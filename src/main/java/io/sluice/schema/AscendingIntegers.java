package io.sluice.schema;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A field of a copied CSV file whose every row holds an integer greater than the row's before: no two rows of the file
 * share its value, and all of them lie from {@code first} to {@code last}. A merge whose files say so of its key need
 * not count its rows to know that none shares a key with another (see {@link #apart}). {@code count} is how many rows
 * hold a value; 0 when not known (a package sealed before files carried it). When the values are every integer of
 * their range ({@link #whole}), the range alone names them, and a merge deletes the stored rows of those keys by it.
 */
public record AscendingIntegers(long first, long last, long count) {
    public AscendingIntegers {
        if (last < first) {
            throw new IllegalArgumentException("ascending integers end at " + last + ", before their first, " + first);
        }
        if (count < 0) {
            throw new IllegalArgumentException("ascending integers counted " + count + " times");
        }
    }

    /** Whether every integer from {@code first} to {@code last} is one row's: as many rows as the range has integers. */
    public boolean whole() {
        return count > 0 && first + (count - 1) == last;
    }

    /** Whether no value lies in two of the ranges: the files they describe share none, as no file shares one within. */
    public static boolean apart(Collection<AscendingIntegers> ranges) {
        List<AscendingIntegers> byFirst = byFirst(ranges);
        for (int index = 1; index < byFirst.size(); index++) {
            if (byFirst.get(index).first() <= byFirst.get(index - 1).last()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The integers of {@link #whole} ranges as the fewest whole ranges: ranges that share a value or follow one another
     * are one. A load of many files whose keys run on is then one range, not one per file.
     */
    public static List<AscendingIntegers> joined(Collection<AscendingIntegers> wholeRanges) {
        List<AscendingIntegers> joined = new ArrayList<>();
        for (AscendingIntegers range : byFirst(wholeRanges)) {
            if (!range.whole()) {
                throw new IllegalArgumentException("not every integer from " + range.first() + " to " + range.last() + " is there");
            }
            AscendingIntegers before = joined.isEmpty() ? null : joined.getLast();
            if (before != null && (range.first() <= before.last() || range.first() - before.last() == 1)) {
                long last = Math.max(before.last(), range.last());
                joined.set(joined.size() - 1, new AscendingIntegers(before.first(), last, last - before.first() + 1));
            } else {
                joined.add(range);
            }
        }
        return joined;
    }

    private static List<AscendingIntegers> byFirst(Collection<AscendingIntegers> ranges) {
        return ranges.stream().sorted(Comparator.comparingLong(AscendingIntegers::first)).toList();
    }
}
