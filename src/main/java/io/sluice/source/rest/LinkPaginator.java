package io.sluice.source.rest;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Follows the next page's URL, found in the body by JSONPath or in the RFC 8288 Link header by its rel. */
final class LinkPaginator implements Paginator {
    private static final Pattern LINK = Pattern.compile("<([^>]*)>((?:\\s*;\\s*[^;,]+)*)");
    private static final Pattern REL = Pattern.compile(";\\s*rel\\s*=\\s*\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);

    private final Function<Page, Optional<String>> nextUrl;

    private LinkPaginator(Function<Page, Optional<String>> nextUrl) {
        this.nextUrl = nextUrl;
    }

    static LinkPaginator inBody(String nextUrlPath) {
        return new LinkPaginator(page -> JsonBodies.text(page.body(), nextUrlPath));
    }

    static LinkPaginator inHeader(String rel) {
        return new LinkPaginator(page -> headerLink(page, rel));
    }

    @Override
    public PageRequest first(PageRequest request) {
        return request;
    }

    @Override
    public Optional<PageRequest> next(Page page, int records) {
        // A relative link resolves against the page it came from.
        return nextUrl.apply(page).map(link -> page.request().withUrl(page.request().uri().resolve(URI.create(link))));
    }

    /** The link with relation {@code rel} in the page's Link headers; a link may have several rels ("next last"). */
    static Optional<String> headerLink(Page page, String rel) {
        for (String header : page.headers().allValues("Link")) {
            Matcher link = LINK.matcher(header);
            while (link.find()) {
                Matcher relation = REL.matcher(link.group(2));
                while (relation.find()) {
                    for (String name : relation.group(1).trim().split("\\s+")) {
                        if (name.equalsIgnoreCase(rel)) {
                            return Optional.of(link.group(1));
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }
}
