package io.sluice.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NamingTest {
    private final Naming naming = new Naming(63);

    @Test
    void snakeCaseHandlesCasePunctuationUnicodeAndDigits() {
        assertEquals("customer_id", naming.identifier("Customer ID"));
        assertEquals("customer_id", naming.identifier("customerId"));
        assertEquals("http_status_code", naming.identifier("HTTPStatusCode"));
        assertEquals("grosse", naming.identifier("Größe"));
        assertEquals("cafe_creme", naming.identifier("Café crème"));
        assertEquals("_2nd_place", naming.identifier("2nd place"));
        assertEquals("price_usd", naming.identifier("price ($USD)"));
        assertEquals("select", naming.identifier("select"), "reserved words stay: identifiers are always quoted");
        assertTrue(naming.identifier("日本語").startsWith("_"), "a name with no latin letters still gets a stable name");
        assertEquals(naming.identifier("日本語"), naming.identifier("日本語"));
        assertNotEquals(naming.identifier("日本語"), naming.identifier("中文"));
    }

    @Test
    void longNamesAreShortenedWithAStableHash() {
        String long1 = "a_very_long_field_name_that_goes_on_and_on_and_on_beyond_any_limit_one";
        String long2 = "a_very_long_field_name_that_goes_on_and_on_and_on_beyond_any_limit_two";
        String short1 = naming.identifier(long1);
        assertTrue(short1.getBytes(StandardCharsets.UTF_8).length <= 63, short1);
        assertEquals(short1, naming.identifier(long1));
        assertNotEquals(short1, naming.identifier(long2));
        assertTrue(naming.nested("orders", long1).length() <= 63, naming.nested("orders", long1));
    }

    @Test
    void nestedVariantAndDisambiguatedNames() {
        assertEquals("page__referrer_url", naming.nested("page", "referrerUrl"));
        assertEquals("price__v_text", naming.variant("price", DataType.TEXT));
        String other = naming.disambiguated("user_id", "user_id");
        assertTrue(other.startsWith("user_id_") && other.length() == "user_id_".length() + 6, other);
        assertEquals(other, naming.disambiguated("user_id", "user_id"));
    }

    @Test
    void promotionsOnlyWiden() {
        assertEquals(DataType.DOUBLE, DataType.BIGINT.widen(DataType.DOUBLE));
        assertEquals(DataType.TIMESTAMP, DataType.DATE.widen(DataType.TIMESTAMP));
        assertEquals(DataType.TEXT, DataType.BOOL.widen(DataType.BIGINT));
    }
}
