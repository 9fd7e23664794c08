package io.sluice.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The spec's transforms as the spec mapper reads them: mapped in order, every problem with its field path. */
class TransformSpecTest {
    private static final String NOT_A_PATH = " is not a field path: names joined by '.', each may end in [] for a list,"
            + " e.g. comments[].author.email";

    private static io.sluice.proto.v1.Pipeline pipeline(String transforms) {
        return SpecReader.parse("""
                name: masked
                source:
                  filesystem:
                    resources:
                      - { name: users, glob: "users/*.jsonl" }
                      - { name: events, glob: "events/*.jsonl", incremental: { cursor_path: meta.updated } }
                destination: { duckdb: { path: masked.duckdb } }
                transforms:
                """ + transforms.indent(2), "test");
    }

    private static Map<String, String> problems(String transforms) {
        List<Problem> problems = PipelineSpecs.problems(pipeline(transforms));
        assertTrue(problems.stream().allMatch(problem -> problem.kind() == Problem.Kind.INVALID), problems.toString());
        return problems.stream().collect(Collectors.toMap(Problem::field, Problem::description, (first, second) -> first + "; " + second));
    }

    @Test
    void everyKindMapsInTheSpecsOrderWithItsPaths() {
        PipelineSpec spec = PipelineSpecs.toSpec(pipeline("""
                - { resource: users, mask: { columns: [email, user.email, "comments[].author.email"], method: HMAC_SHA256, key_secret: pii-key } }
                - { resource: users, mask: { columns: [phone], method: REDACT } }
                - { resource: events, mask: { columns: [note], method: TRUNCATE, keep_characters: 8 } }
                - { resource: users, drop: { columns: [ssn] } }
                """), "test");
        FieldPath nested = new FieldPath(List.of("comments", "author", "email"));
        assertEquals(List.of(
                new TransformSpec.HmacSha256("users", List.of(new FieldPath(List.of("email")), new FieldPath(List.of("user", "email")),
                        nested), "pii-key"),
                new TransformSpec.Redact("users", List.of(new FieldPath(List.of("phone")))),
                new TransformSpec.Truncate("events", List.of(new FieldPath(List.of("note"))), 8),
                new TransformSpec.Drop("users", List.of(new FieldPath(List.of("ssn"))))), spec.transforms());
        assertEquals(List.of("hmac", "redact", "drop"), spec.transforms("users").stream()
                .map(transform -> switch (transform) {
                    case TransformSpec.HmacSha256 ignored -> "hmac";
                    case TransformSpec.Redact ignored -> "redact";
                    case TransformSpec.Truncate ignored -> "truncate";
                    case TransformSpec.Drop ignored -> "drop";
                }).toList(), "one resource's transforms, in order");
        assertEquals("comments.author.email", nested.toString());
    }

    @Test
    void everyBadTransformIsNamedByItsFieldPath() {
        Map<String, String> problems = problems("""
                - { resource: orders, drop: { columns: [a] } }
                - { resource: users, mask: { method: REDACT } }
                - { resource: users, mask: { columns: [email], method: HMAC_SHA256 } }
                - { resource: users, mask: { columns: [name], method: HMAC_SHA256, key_secret: "hunter2 key!" } }
                - { resource: users, mask: { columns: [bio], method: TRUNCATE } }
                - { resource: users, mask: { columns: [bio2], method: TRUNCATE, keep_characters: -3 } }
                - { resource: users, mask: { columns: [phone], method: REDACT, key_secret: pii-key, keep_characters: 3 } }
                - { resource: users, mask: { columns: ["a..b", "x[0]", ""] , method: REDACT } }
                - { resource: users, mask: { columns: [c] } }
                - { resource: users }
                - { mask: { columns: [d], method: REDACT } }
                - { resource: users, drop: { columns: [ssn] } }
                - { resource: users, mask: { columns: [ssn], method: REDACT } }
                - { resource: events, mask: { columns: [meta], method: REDACT } }
                """);
        assertEquals(Map.ofEntries(
                Map.entry("transforms[0].resource", "'orders' is not a resource of the source; it has [users, events]"),
                Map.entry("transforms[1].mask.columns", "at least one field path is required, e.g. email or user.email"),
                Map.entry("transforms[2].mask.key_secret", "required for HMAC_SHA256: the name of the secret holding the key"),
                Map.entry("transforms[3].mask.key_secret", "must name a secret, not hold the credential: a secret name is " + SecretReference.RULE),
                Map.entry("transforms[4].mask.keep_characters", "required: how many characters to keep, at least 1"),
                Map.entry("transforms[5].mask.keep_characters", "got -3: how many characters to keep, at least 1"),
                Map.entry("transforms[6].mask.key_secret", "only HMAC_SHA256 uses a key; remove it"),
                Map.entry("transforms[6].mask.keep_characters", "only TRUNCATE keeps characters; remove it"),
                Map.entry("transforms[7].mask.columns[0]", "'a..b'" + NOT_A_PATH),
                Map.entry("transforms[7].mask.columns[1]", "'x[0]'" + NOT_A_PATH),
                Map.entry("transforms[7].mask.columns[2]", "must name a field, e.g. email, user.email or comments[].author.email"),
                Map.entry("transforms[8].mask.method", "required: one of HMAC_SHA256, REDACT, TRUNCATE"),
                Map.entry("transforms[9]", "required: one of mask, drop"),
                Map.entry("transforms[10].resource", "required: the name of a resource of the source"),
                Map.entry("transforms[12].mask.columns[0]", "'ssn' is changed by transforms[11].drop.columns[0] already"),
                Map.entry("transforms[13].mask.columns[0]", "'meta' holds the resource's incremental cursor, whose last value is"
                        + " kept unmasked in the pipeline state; mask another field or read incrementally on another one")),
                problems);
        assertFalse(problems.toString().contains("hunter2"), "a key pasted into the field is not echoed");
    }

    @Test
    void fieldPathsAreNamesJoinedByDots() {
        assertEquals(new FieldPath(List.of("comments", "author", "email")), FieldPath.parse("comments[].author.email"));
        assertEquals(new FieldPath(List.of("tags")), FieldPath.parse("tags[]"));
        assertTrue(new FieldPath(List.of("meta")).covers(List.of("meta", "updated")));
        assertFalse(new FieldPath(List.of("meta", "created")).covers(List.of("meta", "updated")));
        assertThrows(IllegalArgumentException.class, () -> FieldPath.parse("a."));
        assertThrows(IllegalArgumentException.class, () -> new FieldPath(List.of()));
    }
}
