package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class CsvValuesTest {
    @Test
    void fieldsAreReadAsTheNarrowestTypeTheySpellExactly() {
        assertNull(CsvFields.value(""));
        assertEquals(Boolean.TRUE, CsvFields.value("TRUE"));
        assertEquals(Boolean.FALSE, CsvFields.value("false"));
        assertEquals(42L, CsvFields.value("42"));
        assertEquals(-7L, CsvFields.value("-7"));
        assertEquals(0L, CsvFields.value("0"));
        assertEquals("00501", CsvFields.value("00501"), "leading zeros are not a number");
        assertEquals(new BigInteger("12345678901234567890"), CsvFields.value("12345678901234567890"));
        assertEquals(655.75, CsvFields.value("655.75"));
        assertEquals(0.5, CsvFields.value(".5"));
        assertEquals(1.5e10, CsvFields.value("1.5E10"));
        assertEquals(new BigDecimal("0.12345678901234567"), CsvFields.value("0.12345678901234567"));
        assertEquals("1.2.3", CsvFields.value("1.2.3"));
        assertEquals("12abc", CsvFields.value("12abc"));
        assertEquals("-", CsvFields.value("-"));
        assertEquals("1e", CsvFields.value("1e"));
    }
}
