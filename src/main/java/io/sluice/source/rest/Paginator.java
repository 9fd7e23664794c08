package io.sluice.source.rest;

import io.sluice.pipeline.PaginatorSpec;
import java.util.Optional;

/**
 * Walks the pages of one endpoint: sets up the first request, and from each answered page makes the next request or
 * says there is none. An instance serves one walk.
 */
sealed interface Paginator permits LinkPaginator, NumberedPaginator, CursorTokenPaginator, SinglePagePaginator, DetectingPaginator {
    /** The first page's request, from the endpoint's own. */
    PageRequest first(PageRequest request);

    /**
     * @param records how many records {@code page} held
     * @return the next page's request; empty when {@code page} was the last
     */
    Optional<PageRequest> next(Page page, int records);

    static Paginator of(PaginatorSpec spec) {
        return switch (spec) {
            case PaginatorSpec.JsonLink link -> LinkPaginator.inBody(link.nextUrlPath());
            case PaginatorSpec.HeaderLink link -> LinkPaginator.inHeader(link.rel());
            case PaginatorSpec.Offset offset -> NumberedPaginator.offset(offset);
            case PaginatorSpec.PageNumber pageNumber -> NumberedPaginator.pageNumber(pageNumber);
            case PaginatorSpec.Cursor cursor -> new CursorTokenPaginator(cursor);
            case PaginatorSpec.SinglePage ignored -> new SinglePagePaginator();
            case PaginatorSpec.Auto ignored -> new DetectingPaginator();
        };
    }
}
