package io.sluice.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IsoTextTest {
    @Test
    void timestamps() {
        for (String text : new String[] {"2024-05-01T10:00:00Z", "2024-05-01 10:00", "2024-05-01T10:00:00.123456+02:00",
            "2024-05-01T10:00:00-0500", "2024-05-01T10:00:00+02"}) {
            assertTrue(IsoText.isTimestamp(text), text);
        }
        for (String text : new String[] {"2024-05-01", "2024-05-01T10:00:00.1234567Z", "2024-05-01T10:00:00ZZ",
            "2024-05-01X10:00:00", "2024-5-01T10:00:00", "2024-05-01T10:00:00+2"}) {
            assertFalse(IsoText.isTimestamp(text), text);
        }
    }

    @Test
    void datesAndTimes() {
        assertTrue(IsoText.isDate("2024-05-01"), "2024-05-01");
        assertFalse(IsoText.isDate("2024-05-01T"), "2024-05-01T");
        assertTrue(IsoText.isTime("10:30"), "10:30");
        assertTrue(IsoText.isTime("10:30:15.5"), "10:30:15.5");
        assertFalse(IsoText.isTime("10:30:1"), "10:30:1");
        assertFalse(IsoText.isTime("1030"), "1030");
    }
}
