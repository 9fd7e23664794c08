package io.sluice.source.rest;

import io.sluice.source.SourceException;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the requests one resource sends in a run, and fails the run, naming the resource, past its most. */
final class RequestBudget {
    private final String resource;
    private final long most;
    private final AtomicLong sent = new AtomicLong();

    RequestBudget(String resource, long most) {
        this.resource = resource;
        this.most = most;
    }

    void spend(PageRequest request) {
        if (sent.incrementAndGet() > most) {
            throw new SourceException("resource '" + resource + "': more than " + most + " requests (client.max_requests) in one run,"
                    + " the last to " + request.uri() + "; does its paginator ever end?");
        }
    }
}
