package io.sluice.source.rest;

import java.util.Optional;

/** An endpoint that answers in one page. */
final class SinglePagePaginator implements Paginator {
    @Override
    public PageRequest first(PageRequest request) {
        return request;
    }

    @Override
    public Optional<PageRequest> next(Page page, int records) {
        return Optional.empty();
    }
}
