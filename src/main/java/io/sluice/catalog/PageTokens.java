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

    static InvalidPageTokenException invalid(String token) {
        return new InvalidPageTokenException("page_token '" + token + "' is not one this server issued");
    }
}
