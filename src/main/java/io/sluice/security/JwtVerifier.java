package io.sluice.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Checks JWT bearer tokens against a configured public key or JWKS file, and reads the caller's role from the
 * token's {@code groups} or {@code roles} claim and its scope from the {@code sluice_scope} claim. SmallRye JWT's parser is used directly: the Quarkus extension's
 * mechanism authenticates HTTP requests, and the gRPC API listens on a server of its own.
 */
public final class JwtVerifier {
    /** The claim that limits a token to the pipelines whose labels match it, e.g. {@code "team=billing"}. */
    public static final String SCOPE_CLAIM = "sluice_scope";

    private final DefaultJWTParser parser;

    /** A verifier for tokens signed with the key in {@code publicKey} (PEM or JWKS), issued by {@code issuer} if given. */
    public JwtVerifier(Path publicKey, Optional<String> issuer) {
        JWTAuthContextInfo context = new JWTAuthContextInfo();
        context.setPublicKeyLocation(publicKey.toAbsolutePath().toUri().toString());
        issuer.ifPresent(context::setIssuedBy);
        this.parser = new DefaultJWTParser(context);
    }

    /** The caller the token proves, with the highest role it names; refused when the token is not valid now. */
    public Caller verify(String token) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException invalid) {
            // The parser's message names the cause (expired, bad signature) without repeating the token.
            throw new AuthenticationException("invalid token: " + invalid.getMessage());
        }
        Role role = roleNames(jwt).stream().map(Role::named).flatMap(Optional::stream).max(Role::compareTo)
                .orElseThrow(() -> new AuthenticationException("the token's groups or roles claim names no Sluice role"));
        String subject = jwt.getSubject() != null ? jwt.getSubject() : jwt.getName();
        Object scope = jwt.getClaim(SCOPE_CLAIM);
        return new Caller("jwt:" + subject, role, scope == null ? "" : unquoted(scope));
    }

    private static List<String> roleNames(JsonWebToken jwt) {
        List<String> names = new ArrayList<>(jwt.getGroups());
        Object roles = jwt.getClaim("roles");
        switch (roles) {
            case null -> { }
            case Collection<?> list -> list.forEach(name -> names.add(unquoted(name)));
            default -> names.add(unquoted(roles));
        }
        return names;
    }

    /** A claim value as text: the parser hands JSON strings over with their quotes. */
    private static String unquoted(Object value) {
        String text = value.toString();
        return text.length() > 1 && text.startsWith("\"") && text.endsWith("\"") ? text.substring(1, text.length() - 1) : text;
    }
}
