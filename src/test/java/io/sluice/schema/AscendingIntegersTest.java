package io.sluice.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AscendingIntegersTest {
    @Test
    void rangesAreApartWhenNoValueLiesInTwoOfThemInWhateverOrderTheyCome() {
        assertTrue(AscendingIntegers.apart(List.of(new AscendingIntegers(5, 9, 1), new AscendingIntegers(-3, 4, 1), new AscendingIntegers(10, 10, 1))));
        assertTrue(AscendingIntegers.apart(List.of(new AscendingIntegers(1, 1, 1))));
        assertFalse(AscendingIntegers.apart(List.of(new AscendingIntegers(4, 6, 1), new AscendingIntegers(1, 4, 1))), "they meet at 4");
        assertFalse(AscendingIntegers.apart(List.of(new AscendingIntegers(1, 9, 1), new AscendingIntegers(3, 4, 1))), "one inside the other");
        assertFalse(AscendingIntegers.apart(List.of(new AscendingIntegers(2, 2, 1), new AscendingIntegers(2, 2, 1))), "the same value");
    }

    @Test
    void aRangeCannotEndBeforeItsFirstNorBeCountedLessThanNever() {
        assertThrows(IllegalArgumentException.class, () -> new AscendingIntegers(2, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new AscendingIntegers(1, 2, -1));
    }

    @Test
    void aRangeIsWholeWhenItsRowsAreAsManyAsItsIntegers() {
        assertTrue(new AscendingIntegers(-2, 2, 5).whole());
        assertTrue(new AscendingIntegers(7, 7, 1).whole());
        assertFalse(new AscendingIntegers(1, 3, 2).whole(), "one of 1, 2, 3 is missing");
        assertFalse(new AscendingIntegers(1, 1, 0).whole(), "not counted: sealed before files carried it");
        assertFalse(new AscendingIntegers(Long.MIN_VALUE, Long.MAX_VALUE, 0).whole());
        assertTrue(new AscendingIntegers(Long.MAX_VALUE - 1, Long.MAX_VALUE, 2).whole());
    }

    @Test
    void wholeRangesThatMeetOrFollowOneAnotherAreJoinedAndTheOthersKeptApart() {
        assertEquals(List.of(new AscendingIntegers(1, 6, 6), new AscendingIntegers(9, 9, 1), new AscendingIntegers(11, 14, 4)),
                AscendingIntegers.joined(List.of(new AscendingIntegers(11, 12, 2), new AscendingIntegers(4, 6, 3),
                        new AscendingIntegers(1, 3, 3), new AscendingIntegers(9, 9, 1), new AscendingIntegers(12, 14, 3),
                        new AscendingIntegers(13, 13, 1))));
        assertEquals(List.of(new AscendingIntegers(Long.MAX_VALUE - 3, Long.MAX_VALUE, 4)), AscendingIntegers.joined(List.of(
                new AscendingIntegers(Long.MAX_VALUE - 1, Long.MAX_VALUE, 2), new AscendingIntegers(Long.MAX_VALUE - 3, Long.MAX_VALUE, 4))));
        assertEquals(List.of(), AscendingIntegers.joined(List.of()));
        assertThrows(IllegalArgumentException.class, () -> AscendingIntegers.joined(List.of(new AscendingIntegers(1, 3, 2))));
    }
}
