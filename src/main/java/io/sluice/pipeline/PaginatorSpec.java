package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** How a REST resource asks for its next page; paths into the body are JSONPath. */
public sealed interface PaginatorSpec {
    /** The next URL is in the body at {@code nextUrlPath}. */
    record JsonLink(String nextUrlPath) implements PaginatorSpec {
        public JsonLink {
            requireNonNull(nextUrlPath, "nextUrlPath is null");
        }
    }

    /** The next URL is the Link header's link with this {@code rel}. */
    record HeaderLink(String rel) implements PaginatorSpec {
        public HeaderLink {
            requireNonNull(rel, "rel is null");
        }
    }

    /** @param maximumOffset 0: none */
    record Offset(long limit, String offsetParam, String limitParam, long offset, Optional<String> totalPath, long maximumOffset,
                  Optional<String> hasMorePath, boolean stopAfterEmptyPage) implements PaginatorSpec {
        public Offset {
            requireNonNull(offsetParam, "offsetParam is null");
            requireNonNull(limitParam, "limitParam is null");
            requireNonNull(totalPath, "totalPath is null");
            requireNonNull(hasMorePath, "hasMorePath is null");
        }
    }

    /**
     * @param totalPath to the number of pages
     * @param maximumPage 0: none
     */
    record PageNumber(String pageParam, long basePage, Optional<String> totalPath, long maximumPage, Optional<String> hasMorePath,
                      boolean stopAfterEmptyPage) implements PaginatorSpec {
        public PageNumber {
            requireNonNull(pageParam, "pageParam is null");
            requireNonNull(totalPath, "totalPath is null");
            requireNonNull(hasMorePath, "hasMorePath is null");
        }
    }

    /**
     * The token at {@code cursorPath} goes into the query parameter {@code cursorParam}, or into the JSON body at
     * {@code cursorBodyPath} (dotted).
     */
    record Cursor(String cursorPath, Optional<String> cursorParam, Optional<String> cursorBodyPath, Optional<String> hasMorePath)
            implements PaginatorSpec {
        public Cursor {
            requireNonNull(cursorPath, "cursorPath is null");
            requireNonNull(cursorParam, "cursorParam is null");
            requireNonNull(cursorBodyPath, "cursorBodyPath is null");
            requireNonNull(hasMorePath, "hasMorePath is null");
            if (cursorParam.isPresent() == cursorBodyPath.isPresent()) {
                throw new IllegalArgumentException("the token goes into a parameter or the body, one of them");
            }
        }
    }

    record SinglePage() implements PaginatorSpec {
    }

    /** None declared: told from the first response (a Link header, a next URL in the body, or a single page). */
    record Auto() implements PaginatorSpec {
    }
}
