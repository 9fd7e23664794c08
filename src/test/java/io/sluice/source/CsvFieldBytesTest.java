package io.sluice.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.sluice.schema.DataType;
import io.sluice.schema.Detection;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A field's type told by its shape is the type the full rules give it, whatever the detections. */
class CsvFieldBytesTest {
    private static final List<Set<Detection>> DETECTIONS = List.of(EnumSet.allOf(Detection.class), Set.of());

    private static CsvFieldBytes field(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        CsvFieldBytes field = new CsvFieldBytes(false);
        field.add(bytes, 0, bytes.length, true);
        return field;
    }

    private static void assertAgrees(String text) {
        CsvFieldBytes field = field(text);
        for (Set<Detection> detections : DETECTIONS) {
            DataType shape = field.shapeType(detections.contains(Detection.ISO_TIMESTAMP));
            if (shape != null) {
                assertEquals(CsvFields.type(text, detections), shape, text);
            }
        }
    }

    /** The shape tells {@code type} whether timestamps are detected or not. */
    private static void assertShape(DataType type, String... texts) {
        for (String text : texts) {
            assertEquals(type, field(text).shapeType(true), text);
            assertEquals(type, field(text).shapeType(false), text);
        }
    }

    @Test
    void theShapesTellTheTypesTheFullRulesGive() {
        assertShape(DataType.BIGINT, "145", "-0", "+123456789012345678");
        assertShape(DataType.DOUBLE, "655.75", "-.5", "5.");
        assertShape(DataType.TEXT, "hotel-0", "user0@example.com", "toy", "foxtrot");
        assertShape(DataType.BOOL, "true", "false");
        for (String timestamp : WRITTEN_TIMESTAMPS) {
            assertEquals(DataType.TIMESTAMP, field(timestamp).shapeType(true), timestamp);
            assertNull(field(timestamp).shapeType(false), timestamp);
            assertAgrees(timestamp);
        }
        for (String fullRules : List.of("00501", "1234567890123456789", "0.1234567890123456", "1e5", ".", "-", "+.",
                "1.2.3", "TRUE", "False", "toys", "fives", "2024-01-01", "2024-01-01T00:00Z", "2024-01-01T00:00:00+0200",
                "2024-01-01T00:00:00+02", "2024-01-01T00:00:00.1234567Z", "2024-01-01T00:00:00z", "2024-01-01T00:00:00.Z",
                "12:30", "1,5", " 1")) {
            assertNull(field(fullRules).shapeType(true), fullRules);
            assertAgrees(fullRules);
        }
    }

    /** The forms of a timestamp that the shape tells. */
    private static final List<String> WRITTEN_TIMESTAMPS = List.of("2024-01-01T00:00:00Z", "2024-01-31 22:26:40",
            "2024-01-31T22:26:40.123456+02:00", "2024-01-31T22:26:40.5-05:30");

    @Test
    void timestampsAndTheirNearMissesAreJudgedAlike() {
        Random random = new Random(25);
        String changes = "0123456789-:T Z+.zx";
        for (int round = 0; round < 200_000; round++) {
            StringBuilder text = new StringBuilder(WRITTEN_TIMESTAMPS.get(random.nextInt(WRITTEN_TIMESTAMPS.size())));
            for (int change = random.nextInt(4); change > 0 && !text.isEmpty(); change--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.setCharAt(at, changes.charAt(random.nextInt(changes.length())));
                    case 1 -> text.deleteCharAt(at);
                    default -> text.insert(at, changes.charAt(random.nextInt(changes.length())));
                }
            }
            if (!text.isEmpty()) {
                assertAgrees(text.toString());
            }
        }
    }

    @Test
    void everyFieldOfNumberAndWordCharactersIsJudgedAlike() {
        Random random = new Random(16);
        for (int round = 0; round < 200_000; round++) {
            assertAgrees(randomText(random, "0123456789+-.eEtTfFrRuUaAlLsSxZ:T ", 1, 22));
        }
        // Words of a boolean's letters, some of them spelling one.
        for (int round = 0; round < 100_000; round++) {
            assertAgrees(randomText(random, "tTrRuUeEfFaAlLsSx", 3, 6));
        }
        assertAgrees("true");
        assertAgrees("false");
    }

    private static String randomText(Random random, String characters, int shortest, int longest) {
        StringBuilder text = new StringBuilder();
        for (int length = shortest + random.nextInt(longest - shortest + 1); text.length() < length; ) {
            text.append(characters.charAt(random.nextInt(characters.length())));
        }
        return text.toString();
    }

    @Test
    void addedRunsGrowTheFieldAndKeepWhetherItIsAscii() {
        CsvFieldBytes field = new CsvFieldBytes(false);
        byte[] run = "x".repeat(300).getBytes(StandardCharsets.US_ASCII);
        field.add(run, 0, run.length, true);
        field.add((byte) 'y');
        field.add(run, 0, 10, true);
        assertEquals("x".repeat(300) + "y" + "x".repeat(10), field.toString());
        assertEquals(true, field.isAscii());
        byte[] accented = "é".getBytes(StandardCharsets.UTF_8);
        field.add(accented, 0, accented.length, false);
        assertEquals(false, field.isAscii());
        assertEquals("x".repeat(300) + "y" + "x".repeat(10) + "é", field.text().orElseThrow());
    }
}
