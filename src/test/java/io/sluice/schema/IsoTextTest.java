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
    void onlyMomentsBothDestinationsReadAreTimestampsDatesOrTimes() {
        for (String text : new String[] {"2024-02-29T10:00:00Z", "2000-02-29 10:00", "0001-01-01T00:00:00Z", "2024-12-31T23:59:59.999999Z",
            "2024-03-01T24:00:00Z", "2024-03-01T10:00:00+15:59", "2024-03-01T10:00:00-1530", "2024-03-01T10:00:00+15"}) {
            assertTrue(IsoText.isTimestamp(text), text);
        }
        for (String text : new String[] {"2023-02-29T10:00:00Z", "1900-02-29 10:00", "2024-04-31T10:00:00Z", "2024-13-01T10:00:00Z",
            "2024-00-10T10:00:00Z", "2024-01-00T10:00:00Z", "0000-01-01T00:00:00Z", "2024-03-01T24:00:01Z", "2024-03-01T25:00:00Z",
            "2024-03-01T10:60:00Z", "2024-03-01T23:59:60Z", "2024-03-01T10:00:00+16:00", "2024-03-01T10:00:00+1560",
            "2024-03-01T10:00:00-99"}) {
            assertFalse(IsoText.isTimestamp(text), text);
        }
        assertFalse(IsoText.isDate("2023-02-29"), "2023-02-29");
        assertTrue(IsoText.isDate("2024-02-29"), "2024-02-29");
        assertFalse(IsoText.isTime("24:30"), "24:30");
        assertFalse(IsoText.isTime("12:75:00"), "12:75:00");
        assertTrue(IsoText.isTime("24:00"), "24:00");
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
