package io.sluice.source.rest;

import java.util.List;
import java.util.Optional;

/**
 * A paginator for an endpoint that declares none, chosen from its first page as dlt does: a {@code rel="next"} Link
 * header, else a next URL in the body under a common key, else a single page.
 */
final class DetectingPaginator implements Paginator {
    private static final List<String> NEXT_URL_PATHS = List.of("next", "next_url", "nextUrl", "links.next", "_links.next.href",
            "pagination.next", "paging.next", "meta.next");

    private Paginator detected;

    @Override
    public PageRequest first(PageRequest request) {
        return request;
    }

    @Override
    public Optional<PageRequest> next(Page page, int records) {
        if (detected == null) {
            detected = detect(page);
        }
        return detected.next(page, records);
    }

    private static Paginator detect(Page page) {
        if (LinkPaginator.headerLink(page, "next").isPresent()) {
            return LinkPaginator.inHeader("next");
        }
        for (String path : NEXT_URL_PATHS) {
            Optional<String> link = JsonBodies.text(page.body(), path);
            if (link.isPresent() && (link.get().startsWith("http://") || link.get().startsWith("https://") || link.get().startsWith("/"))) {
                return LinkPaginator.inBody(path);
            }
        }
        return new SinglePagePaginator();
    }
}
