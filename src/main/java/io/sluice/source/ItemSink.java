package io.sluice.source;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiPredicate;
import java.util.function.Supplier;

/** Receives the items a source reads. May throw to stop the source (the run was cancelled, a contract froze). */
public interface ItemSink {
    /**
     * One item: values are {@code String}, {@code Integer}, {@code Long}, {@code BigInteger}, {@code Double},
     * {@code Boolean}, {@code null}, nested {@code Map<String, Object>} or {@code List<Object>}.
     *
     * @param origin where the item came from (file and line), built only when asked for
     * @return false when the resource wants no more items (they left its incremental window in the source's row
     *         order): the source stops reading it
     */
    boolean item(Map<String, Object> item, Supplier<String> origin);

    /**
     * A batch of flat rows a source has typed already (an SQL table's), which a sink that can take rows as they are
     * overrides to skip the item per row. By default each row becomes the item it stands for, in order, so every sink
     * sees the same values either way.
     *
     * @return false when the resource wants no more rows, as {@link #item} answers; the rows after that one are not
     *         handed over, and the source stops reading
     */
    default boolean rows(RowBatch batch) {
        for (int row = 0; row < batch.rows().size(); row++) {
            int index = row;
            if (!item(batch.item(row), () -> batch.origins().apply(index))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where a source may hand a flat CSV file over whole rather than as items, when the sink takes such files: a sink
     * that must see each item (to filter, mask or add to it) takes none, and by default none is taken.
     */
    default Optional<CsvCopies> csvCopies() {
        return Optional.empty();
    }

    /** A record that could not be read as an item (malformed JSON, not an object, a CSV row too long). */
    void rejected(Supplier<String> origin, String reason);

    /** The source has read {@code bytes} more bytes of input. */
    void bytesRead(long bytes);

    /**
     * Work a source does for this sink on a thread of its own (a page requested ahead), wrapped so that it counts as the
     * run's: what it logs goes to the run's log. By default the work as it is. The sink itself is still called on the
     * source's own thread only.
     */
    default <T> Callable<T> onBehalf(Callable<T> work) {
        return work;
    }

    /** A sink that hands each item to {@code item} (which answers as {@link #item} does) and the rest to {@code downstream}. */
    static ItemSink withItems(ItemSink downstream, BiPredicate<Map<String, Object>, Supplier<String>> item) {
        return new ItemSink() {
            @Override
            public boolean item(Map<String, Object> value, Supplier<String> origin) {
                return item.test(value, origin);
            }

            @Override
            public void rejected(Supplier<String> origin, String reason) {
                downstream.rejected(origin, reason);
            }

            @Override
            public void bytesRead(long bytes) {
                downstream.bytesRead(bytes);
            }

            @Override
            public <T> Callable<T> onBehalf(Callable<T> work) {
                return downstream.onBehalf(work);
            }
        };
    }
}
