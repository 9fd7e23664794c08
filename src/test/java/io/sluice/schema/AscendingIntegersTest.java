package io.sluice.schema;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class AscendingIntegersTest {
    @Test
    void rangesAreApartWhenNoValueLiesInTwoOfThemInWhateverOrderTheyCome() {
        assertTrue(AscendingIntegers.apart(List.of(new AscendingIntegers(5, 9), new AscendingIntegers(-3, 4), new AscendingIntegers(10, 10))));
        assertTrue(AscendingIntegers.apart(List.of(new AscendingIntegers(1, 1))));
        assertFalse(AscendingIntegers.apart(List.of(new AscendingIntegers(4, 6), new AscendingIntegers(1, 4))), "they meet at 4");
        assertFalse(AscendingIntegers.apart(List.of(new AscendingIntegers(1, 9), new AscendingIntegers(3, 4))), "one inside the other");
        assertFalse(AscendingIntegers.apart(List.of(new AscendingIntegers(2, 2), new AscendingIntegers(2, 2))), "the same value");
    }

    @Test
    void aRangeCannotEndBeforeItsFirst() {
        assertThrows(IllegalArgumentException.class, () -> new AscendingIntegers(2, 1));
    }
}
