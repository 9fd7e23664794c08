package io.sluice.runs;

import io.sluice.normalize.ResourceNormalizer;
import io.sluice.schema.ScannedCsv;
import io.sluice.source.CsvCopies;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;

/** Where a source's copies of flat CSV files go: into the resource's normalizer, which takes them as rows of its table. */
final class NormalizedCopies implements CsvCopies {
    private static final long ROWS_BETWEEN_CHECKS = (1 << 16) - 1;

    private final ResourceNormalizer normalizer;
    private final RunControl control;
    private final Optional<ProgressMeter> meter;

    /** @param meter empty when the file's rows were counted before (a part normalized again) */
    NormalizedCopies(ResourceNormalizer normalizer, RunControl control, Optional<ProgressMeter> meter) {
        this.normalizer = normalizer;
        this.control = control;
        this.meter = meter;
    }

    @Override
    public Path newCopy() {
        control.checkStopped();
        return normalizer.newCopy();
    }

    /** Asked for every row as the source copies it, so a cancelled run stops a long file within 65,536 rows. */
    @Override
    public int rowId(long row, byte[] into) {
        if ((row & ROWS_BETWEEN_CHECKS) == 0) {
            control.checkStopped();
        }
        return normalizer.rowId(row, into);
    }

    @Override
    public boolean take(ScannedCsv file, Supplier<String> origin) {
        control.checkStopped();
        boolean taken = normalizer.addCopy(file, origin);
        if (taken) {
            meter.ifPresent(counting -> counting.add(file.rows(), 0));
        }
        return taken;
    }
}
