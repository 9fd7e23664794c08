package io.sluice.source.rest;

import static java.util.Objects.requireNonNull;

import java.net.http.HttpHeaders;

/**
 * One answered page.
 *
 * @param body the parsed JSON body: maps, lists and plain values; null for an empty body
 * @param ignored a response action said it has no records
 */
record Page(PageRequest request, int status, HttpHeaders headers, Object body, boolean ignored) {
    Page {
        requireNonNull(request, "request is null");
        requireNonNull(headers, "headers is null");
    }
}
