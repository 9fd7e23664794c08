package io.sluice.normalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowHashTest {
    private static Map<String, Object> item(Object... keysAndValues) {
        Map<String, Object> item = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            item.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return item;
    }

    @Test
    void anUnchangedRecordHashesAlikeHoweverItIsSpelled() {
        String hash = RowHash.of(item("id", 1, "name", "one", "tags", List.of("a", "b"), "price", 2.5));
        assertEquals(22, hash.length());
        assertEquals(hash, RowHash.of(item("price", new BigDecimal("2.50"), "tags", List.of("a", "b"), "name", "one", "id", 1L)),
                "field order and number types do not matter");
        Map<String, Object> withNull = new HashMap<>(item("id", 1, "name", "one", "tags", List.of("a", "b"), "price", 2.5));
        withNull.put("note", null);
        assertEquals(hash, RowHash.of(withNull), "a null field hashes like an absent one");
    }

    @Test
    void anyChangeIsANewHash() {
        String hash = RowHash.of(item("id", 1, "name", "one", "tags", List.of("a", "b")));
        assertNotEquals(hash, RowHash.of(item("id", 1, "name", "one", "tags", List.of("b", "a"))), "a nested list is part of the record");
        assertNotEquals(hash, RowHash.of(item("id", 1, "name", "one", "tags", List.of("a", "b"), "extra", false)));
        assertNotEquals(hash, RowHash.of(item("id", "1", "name", "one", "tags", List.of("a", "b"))), "text is not a number");
        assertNotEquals(RowHash.of(item("a", "b", "c", "")), RowHash.of(item("a", "", "c", "b")), "values stay apart from keys");
        assertNotEquals(RowHash.of(item("list", Arrays.asList("a", null))), RowHash.of(item("list", List.of("a"))));
    }
}
