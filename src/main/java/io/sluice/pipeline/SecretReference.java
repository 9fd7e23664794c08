package io.sluice.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * The name of a secret, which a spec gives wherever a credential belongs; the value is resolved when a run starts (from
 * the config key {@code sluice.secret.<name>}, the environment variable {@code SLUICE_SECRET_<NAME>} or the file
 * {@code /run/secrets/<name>}). This is the one rule of what a secret name is, for every field that names one.
 *
 * <p>A name is 1 to 63 letters, digits, '.', '_' and '-', starting with a letter or digit (so it is a config key, an
 * environment variable once upper-cased, and a file name that cannot leave the secrets directory). No word of it
 * (between '.', '_' and '-') is 12 or more characters long with a digit in it: that is how keys, tokens and hashes
 * look ({@code ghp_16C7e42F292c6912E7710c838347Ae178B4a}, a hex digest, a JWT), and refusing them stops a credential
 * pasted where its name goes from being stored, or echoed in a "secret not set" message.
 */
public record SecretReference(String name) {
    /** The rule in words, for the messages that refuse a name. */
    public static final String RULE = "1 to 63 letters, digits, '.', '_' and '-', starting with a letter or digit, and no word of"
            + " 12 or more characters with a digit in it (which is how keys and tokens look)";
    private static final int MAX_LENGTH = 63;
    private static final int LONGEST_WORD_WITH_DIGIT = 11;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern SEPARATOR = Pattern.compile("[._-]");

    public SecretReference {
        requireNonNull(name, "name is null");
        if (!isName(name)) {
            // Not echoed: what is there may be the credential itself.
            throw new IllegalArgumentException("not a secret name: a secret name is " + RULE);
        }
    }

    /** Whether {@code text} is a secret name by the rule above. */
    public static boolean isName(String text) {
        if (text.isEmpty() || text.length() > MAX_LENGTH || !NAME.matcher(text).matches()) {
            return false;
        }
        for (String word : SEPARATOR.split(text)) {
            if (word.length() > LONGEST_WORD_WITH_DIGIT && word.chars().anyMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks a field that names a secret, where it is read; an empty one is a problem only when {@code required}. The
     * message never repeats the text: it may be the credential itself.
     */
    static void check(String field, String text, boolean required, SpecProblems problems) {
        if (text.isEmpty()) {
            if (required) {
                problems.invalid(field, "required: the name of a secret");
            }
        } else if (!isName(text)) {
            problems.invalid(field, "must name a secret, not hold the credential: a secret name is " + RULE);
        }
    }
}
