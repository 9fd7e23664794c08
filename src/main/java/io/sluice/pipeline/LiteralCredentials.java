package io.sluice.pipeline;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds credentials written into a spec where only a secret's name belongs: a password in a URL (user information, or
 * a parameter such as {@code password=} of a JDBC URL or a query) and headers, query parameters, form fields and JSON
 * body fields named like credentials. Problems say where, never what was found.
 */
final class LiteralCredentials {
    /** Parts of a name that make it a credential's wherever they are: {@code sslpassword}, {@code X-Client-Secret}. */
    private static final List<String> CREDENTIAL_PARTS = List.of("password", "passwd", "passphrase", "secret", "credential",
            "apikey", "authorization", "cookie");
    /** Words that name a credential on their own: {@code pwd}, {@code X-Auth}. */
    private static final Set<String> CREDENTIAL_WORDS = Set.of("pwd", "pass", "auth");
    /** A token after these words is a page's, not a credential: {@code page_token}, {@code nextToken}. */
    private static final Set<String> PAGE_WORDS = Set.of("page", "next", "cursor", "continuation", "sync", "pagination");
    /** A key after these words is a credential ({@code api_key}, {@code X-Access-Key}); {@code sort_key} is not. */
    private static final Set<String> KEY_OWNERS = Set.of("api", "access", "private", "secret", "client", "auth", "subscription",
            "app", "signing", "master", "account");
    private static final Pattern WORD_BOUNDARY = Pattern.compile("[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])");
    /** Every {@code name=} of a URL: query parameters, JDBC properties after ';', MariaDB's {@code (password=…)}. */
    private static final Pattern URL_PARAMETER = Pattern.compile("([A-Za-z0-9_.-]+)\\s*=");
    private static final Pattern USER_INFORMATION = Pattern.compile("^[A-Za-z][A-Za-z0-9+.:-]*://([^/?#@]*)@");
    private static final Pattern SCHEME_CREDENTIAL = Pattern.compile("(?i)(bearer|basic|token)\\s+\\S.*");

    private LiteralCredentials() {
    }

    /** Whether a header, query parameter or form field of this name carries a credential. */
    static boolean namesCredential(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (CREDENTIAL_PARTS.stream().anyMatch(lower::contains)) {
            return true;
        }
        List<String> words = Arrays.stream(WORD_BOUNDARY.split(name)).filter(word -> !word.isEmpty())
                .map(word -> word.toLowerCase(Locale.ROOT)).toList();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String before = i == 0 ? "" : words.get(i - 1);
            if (CREDENTIAL_WORDS.contains(word)
                    || word.equals("token") && !PAGE_WORDS.contains(before)
                    || word.equals("key") && (words.size() == 1 || KEY_OWNERS.contains(before))) {
                return true;
            }
        }
        return false;
    }

    /**
     * What credential a URL holds, in words that do not repeat it ("a password in its user information", "the parameter
     * 'password'"), or empty when it holds none.
     */
    static Optional<String> inUrl(String url) {
        Matcher userInformation = USER_INFORMATION.matcher(url);
        if (userInformation.find() && userInformation.group(1).contains(":")) {
            return Optional.of("a password in its user information (user:password@)");
        }
        Matcher parameter = URL_PARAMETER.matcher(url);
        while (parameter.find()) {
            if (namesCredential(parameter.group(1))) {
                return Optional.of("the parameter '" + parameter.group(1) + "'");
            }
        }
        return Optional.empty();
    }

    /**
     * Refuses headers, query parameters or form fields named like credentials, and headers whose value is one
     * ({@code Bearer …}, {@code Basic …}).
     *
     * @param at the map's field path; each problem is at {@code at.NAME}
     * @param instead where the credential goes instead, e.g. "use auth, which names a secret"
     */
    static void inFields(Map<String, String> fields, String at, String instead, SpecProblems problems) {
        fields.forEach((name, value) -> {
            if (namesCredential(name)) {
                problems.invalid(at + "." + name, "'" + name + "' carries a credential, which a spec never holds: " + instead);
            } else if (SCHEME_CREDENTIAL.matcher(value).matches()) {
                problems.invalid(at + "." + name, "holds a credential, which a spec never holds: " + instead);
            }
        });
    }

    /** Refuses text fields of a JSON body named like credentials, at their path under {@code at}. */
    static void inJson(Object body, String at, String instead, SpecProblems problems) {
        switch (body) {
            case Map<?, ?> object -> object.forEach((key, value) -> {
                if (value instanceof String && namesCredential(key.toString())) {
                    problems.invalid(at + "." + key, "'" + key + "' carries a credential, which a spec never holds: " + instead);
                } else {
                    inJson(value, at + "." + key, instead, problems);
                }
            });
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    inJson(list.get(i), at + "[" + i + "]", instead, problems);
                }
            }
            case null, default -> {
            }
        }
    }
}
