package io.sluice.runs;

import io.sluice.normalize.ResourceNormalizer;
import io.sluice.source.CsvCopies;
import io.sluice.source.ItemSink;
import io.sluice.source.RowBatch;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * Where a source's items meet the normalizer: each item or row batch normalized as it comes, counted for progress,
 * and refused once the run is asked to stop.
 *
 * <p>It offers to take copies of the source's CSV files whenever the normalizer takes them (a worker's as well: a
 * copy's rows are numbered from its file's position too): every destination reads them.
 *
 * @param meter empty when the items were counted before (a part normalized again)
 */
record NormalizingSink(ResourceNormalizer normalizer, RunControl control, Optional<ProgressMeter> meter)
        implements ItemSink {
    @Override
    public boolean item(Map<String, Object> item, Supplier<String> origin) {
        control.checkStopped();
        normalizer.add(item, origin);
        meter.ifPresent(counting -> counting.add(1, 0));
        return true;
    }

    @Override
    public boolean rows(RowBatch batch) {
        control.checkStopped();
        normalizer.addRows(batch.columns(), batch.rows(), batch.origins());
        meter.ifPresent(counting -> counting.add(batch.rows().size(), 0));
        return true;
    }

    @Override
    public Optional<CsvCopies> csvCopies() {
        return normalizer.takesCopies() ? Optional.of(new NormalizedCopies(normalizer, control, meter)) : Optional.empty();
    }

    @Override
    public void rejected(Supplier<String> origin, String reason) {
        normalizer.reject(origin, reason);
    }

    @Override
    public void bytesRead(long count) {
        meter.ifPresent(counting -> counting.add(0, count));
    }

    @Override
    public <T> Callable<T> onBehalf(Callable<T> work) {
        return RunLogContext.carried(work);
    }
}
