package io.sluice.source.rest;

import io.sluice.pipeline.PaginatorSpec;
import java.util.Optional;

/**
 * Pages by a number in a query parameter: an offset that moves by the limit, or a page number that moves by one.
 * Paging stops at the total (records, or pages), at the maximum, when {@code has_more} says so, or after an empty page.
 */
final class NumberedPaginator implements Paginator {
    private final String param;
    private final long start;
    private final long step;
    /** Sent with every request: the limit parameter of an offset paginator. */
    private final Optional<String> limitParam;
    private final Optional<String> totalPath;
    /** The total counts pages, not records. */
    private final boolean totalIsPages;
    private final long maximum;
    private final Optional<String> hasMorePath;
    private final boolean stopAfterEmptyPage;

    private NumberedPaginator(String param, long start, long step, Optional<String> limitParam, Optional<String> totalPath,
                              boolean totalIsPages, long maximum, Optional<String> hasMorePath, boolean stopAfterEmptyPage) {
        this.param = param;
        this.start = start;
        this.step = step;
        this.limitParam = limitParam;
        this.totalPath = totalPath;
        this.totalIsPages = totalIsPages;
        this.maximum = maximum;
        this.hasMorePath = hasMorePath;
        this.stopAfterEmptyPage = stopAfterEmptyPage;
    }

    static NumberedPaginator offset(PaginatorSpec.Offset spec) {
        return new NumberedPaginator(spec.offsetParam(), spec.offset(), spec.limit(), Optional.of(spec.limitParam()), spec.totalPath(),
                false, spec.maximumOffset(), spec.hasMorePath(), spec.stopAfterEmptyPage());
    }

    static NumberedPaginator pageNumber(PaginatorSpec.PageNumber spec) {
        return new NumberedPaginator(spec.pageParam(), spec.basePage(), 1, Optional.empty(), spec.totalPath(), true,
                spec.maximumPage(), spec.hasMorePath(), spec.stopAfterEmptyPage());
    }

    @Override
    public PageRequest first(PageRequest request) {
        PageRequest first = request.withParam(param, Long.toString(start));
        return limitParam.map(limit -> first.withParam(limit, Long.toString(step))).orElse(first);
    }

    @Override
    public Optional<PageRequest> next(Page page, int records) {
        if ((stopAfterEmptyPage && records == 0) || hasMorePath.flatMap(path -> JsonBodies.bool(page.body(), path)).map(more -> !more)
                .orElse(false)) {
            return Optional.empty();
        }
        // Read from the request, not kept: a walk may continue from a page a run before it stopped at.
        long current = Long.parseLong(page.request().params().get(param));
        long next = current + step;
        Optional<Long> total = totalPath.flatMap(path -> JsonBodies.number(page.body(), path));
        // Pages are numbered from start: the last of `total` pages is start + total - 1; records end at offset total.
        if (total.isPresent() && next >= (totalIsPages ? start + total.get() : total.get())) {
            return Optional.empty();
        }
        if (maximum > 0 && (totalIsPages ? next > maximum : next >= maximum)) {
            return Optional.empty();
        }
        return Optional.of(page.request().withParam(param, Long.toString(next)));
    }
}
