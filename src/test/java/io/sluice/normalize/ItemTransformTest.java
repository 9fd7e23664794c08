package io.sluice.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.sluice.pipeline.FieldPath;
import io.sluice.pipeline.TransformSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Items changed by transforms: paths through objects and lists, names in either spelling, the item left as it was. */
class ItemTransformTest {
    private static FieldPath path(String text) {
        return FieldPath.parse(text);
    }

    @Test
    void listsAreWalkedAndNamesMatchTheirColumnSpelling() {
        ItemTransform transform = ItemTransform.of(List.of(
                new TransformSpec.Redact("r", List.of(path("emails"), path("profile.home_address"), path("friends.name"))),
                new TransformSpec.Truncate("r", List.of(path("zip")), 2),
                new TransformSpec.Drop("r", List.of(path("friends.secret"), path("missing")))), name -> "unused");
        Map<String, Object> item = Map.of("emails", Arrays.asList("a@x", null, "b@x"), "profile", Map.of("homeAddress", "1 Main St"),
                "friends", List.of(Map.of("name", "Eve", "secret", "s1"), Map.of("age", 3)), "zip", 12345);

        assertEquals(Map.of("emails", Arrays.asList("[REDACTED]", null, "[REDACTED]"), "profile", Map.of("homeAddress", "[REDACTED]"),
                "friends", List.of(Map.of("name", "[REDACTED]"), Map.of("age", 3)), "zip", "12"), transform.apply(item));
        assertEquals(List.of(path("missing")), transform.unmatched(), "a path no item has is told");
    }

    @Test
    void flattenedColumnNamesFindTheNestedFields() {
        ItemTransform transform = ItemTransform.of(List.of(
                new TransformSpec.Redact("r", List.of(path("user__email"), path("comments__author__e_mail")))), name -> "unused");
        Map<String, Object> item = Map.of("user", Map.of("email", "a@x", "name", "Ann"), "user__email", "flat@x",
                "comments", List.of(Map.of("author", Map.of("eMail", "b@x"))));

        assertEquals(Map.of("user", Map.of("email", "[REDACTED]", "name", "Ann"), "user__email", "[REDACTED]",
                "comments", List.of(Map.of("author", Map.of("eMail", "[REDACTED]")))), transform.apply(item),
                "as the columns user__email and author__e_mail of the nested table show them; a flat key of that name too");
        assertEquals(List.of(), transform.unmatched());
    }

    @Test
    void anItemWithoutTheFieldsIsHandedBackAsItIs() {
        ItemTransform transform = ItemTransform.of(List.of(new TransformSpec.HmacSha256("r", List.of(path("user.email")), "key")),
                name -> "secret value");
        Map<String, Object> item = Map.of("user", "not an object", "id", 1);
        assertSame(item, transform.apply(item));
        assertEquals(List.of(), ItemTransform.of(List.of(new TransformSpec.Drop("r", List.of(path("a")))), name -> "").unmatched(),
                "nothing is unmatched before the first item");
    }

    @Test
    void objectsHashAsTheirJsonWithSortedKeys() {
        ItemTransform transform = ItemTransform.of(List.of(new TransformSpec.HmacSha256("r", List.of(path("user")), "key")),
                name -> "secret value");
        Object first = transform.apply(Map.of("user", Map.of("a", 1, "b", "x"))).get("user");
        Object second = transform.apply(Map.of("user", Map.of("b", "x", "a", 1))).get("user");
        assertEquals(first, second);
        assertEquals(new ValueMask.HmacSha256("secret value").masked("{\"a\":1,\"b\":\"x\"}"), first);
    }
}
