package io.sluice.catalog;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Page tokens: the position after which the next page starts, opaque to clients. */
final class PageTokens {
    private PageTokens() {
    }

    static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws InvalidPageTokenException when this server did not issue the token */
    static String decode(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(token);
        }
    }

    /** The token of a listing ordered by time, then id, both descending: the page starts after this row. */
    static String after(Position row) {
        return encode(row.timeMicros() + "/" + row.id());
    }

    /** The row a token made by {@link #after} names. */
    static Position position(String token) {
        String[] position = decode(token).split("/", 2);
        if (position.length != 2) {
            throw invalid(token);
        }
        try {
            return new Position(Long.parseLong(position[0]), position[1]);
        } catch (NumberFormatException e) {
            throw invalid(token);
        }
    }

    /** Where a page of a listing ordered by time, then id, starts after. */
    record Position(long timeMicros, String id) {
    }

    static InvalidPageTokenException invalid(String token) {
        return new InvalidPageTokenException("page_token '" + token + "' is not one this server issued");
    }
}
