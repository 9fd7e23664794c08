package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class CsvValuesTest {
    @Test
    void fieldsAreReadAsTheNarrowestTypeTheySpellExactly() {
        assertNull(CsvReader.value(""));
        assertEquals(Boolean.TRUE, CsvReader.value("TRUE"));
        assertEquals(Boolean.FALSE, CsvReader.value("false"));
        assertEquals(42L, CsvReader.value("42"));
        assertEquals(-7L, CsvReader.value("-7"));
        assertEquals(0L, CsvReader.value("0"));
        assertEquals("00501", CsvReader.value("00501"), "leading zeros are not a number");
        assertEquals(new BigInteger("12345678901234567890"), CsvReader.value("12345678901234567890"));
        assertEquals(655.75, CsvReader.value("655.75"));
        assertEquals(0.5, CsvReader.value(".5"));
        assertEquals(1.5e10, CsvReader.value("1.5E10"));
        assertEquals(new BigDecimal("0.12345678901234567"), CsvReader.value("0.12345678901234567"));
        assertEquals("1.2.3", CsvReader.value("1.2.3"));
        assertEquals("12abc", CsvReader.value("12abc"));
        assertEquals("-", CsvReader.value("-"));
        assertEquals("1e", CsvReader.value("1e"));
    }
}
