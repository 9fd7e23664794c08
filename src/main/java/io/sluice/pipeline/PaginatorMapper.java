package io.sluice.pipeline;

import io.sluice.proto.v1.CursorPaginator;
import io.sluice.proto.v1.OffsetPaginator;
import io.sluice.proto.v1.PageNumberPaginator;
import io.sluice.proto.v1.Paginator;
import java.util.Optional;

/** Maps a REST paginator with dlt's defaults for the fields left unset. */
final class PaginatorMapper {
    private PaginatorMapper() {
    }

    static Optional<PaginatorSpec> map(Paginator paginator, String at, SpecProblems problems) {
        int mark = problems.mark();
        return switch (paginator.getKindCase()) {
            case JSON_LINK -> {
                String path = or(paginator.getJsonLink().getNextUrlPath(), "next");
                JsonPaths.check(path, at + ".json_link.next_url_path", problems);
                yield problems.buildIfClean(mark, () -> new PaginatorSpec.JsonLink(path));
            }
            case HEADER_LINK -> Optional.of(new PaginatorSpec.HeaderLink(or(paginator.getHeaderLink().getLinksNextKey(), "next")));
            case OFFSET -> offset(paginator.getOffset(), at + ".offset", problems);
            case PAGE_NUMBER -> pageNumber(paginator.getPageNumber(), at + ".page_number", problems);
            case CURSOR -> cursor(paginator.getCursor(), at + ".cursor", problems);
            case SINGLE_PAGE -> Optional.of(new PaginatorSpec.SinglePage());
            case KIND_NOT_SET -> Optional.of(new PaginatorSpec.Auto());
        };
    }

    private static Optional<PaginatorSpec> offset(OffsetPaginator offset, String at, SpecProblems problems) {
        int mark = problems.mark();
        if (offset.getLimit() <= 0) {
            problems.invalid(at + ".limit", "required: the records per page, more than 0");
        }
        if (offset.getOffset() < 0 || offset.getMaximumOffset() < 0) {
            problems.invalid(at + ".offset", "offset and maximum_offset must not be negative");
        }
        Optional<String> total = path(offset.getTotalPath(), at + ".total_path", problems);
        Optional<String> hasMore = path(offset.getHasMorePath(), at + ".has_more_path", problems);
        return problems.buildIfClean(mark, () -> new PaginatorSpec.Offset(offset.getLimit(), or(offset.getOffsetParam(), "offset"),
                or(offset.getLimitParam(), "limit"), offset.getOffset(), total, offset.getMaximumOffset(), hasMore,
                !offset.hasStopAfterEmptyPage() || offset.getStopAfterEmptyPage()));
    }

    private static Optional<PaginatorSpec> pageNumber(PageNumberPaginator page, String at, SpecProblems problems) {
        int mark = problems.mark();
        if (page.getBasePage() < 0 || page.getMaximumPage() < 0) {
            problems.invalid(at + ".base_page", "base_page and maximum_page must not be negative");
        }
        Optional<String> total = path(page.getTotalPath(), at + ".total_path", problems);
        Optional<String> hasMore = path(page.getHasMorePath(), at + ".has_more_path", problems);
        return problems.buildIfClean(mark, () -> new PaginatorSpec.PageNumber(or(page.getPageParam(), "page"), page.getBasePage(), total,
                page.getMaximumPage(), hasMore, !page.hasStopAfterEmptyPage() || page.getStopAfterEmptyPage()));
    }

    private static Optional<PaginatorSpec> cursor(CursorPaginator cursor, String at, SpecProblems problems) {
        int mark = problems.mark();
        String cursorPath = or(cursor.getCursorPath(), "cursors.next");
        JsonPaths.check(cursorPath, at + ".cursor_path", problems);
        if (!cursor.getCursorParam().isEmpty() && !cursor.getCursorBodyPath().isEmpty()) {
            problems.invalid(at + ".cursor_body_path", "the token goes into cursor_param or cursor_body_path, not both");
        }
        Optional<String> hasMore = path(cursor.getHasMorePath(), at + ".has_more_path", problems);
        Optional<String> bodyPath = PipelineSpecMapper.optional(cursor.getCursorBodyPath());
        Optional<String> param = bodyPath.isPresent() ? Optional.empty() : Optional.of(or(cursor.getCursorParam(), "cursor"));
        return problems.buildIfClean(mark, () -> new PaginatorSpec.Cursor(cursorPath, param, bodyPath, hasMore));
    }

    private static Optional<String> path(String path, String field, SpecProblems problems) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        JsonPaths.check(path, field, problems);
        return Optional.of(path);
    }

    private static String or(String text, String fallback) {
        return text.isEmpty() ? fallback : text;
    }
}
