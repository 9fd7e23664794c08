package io.sluice.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetriedCommitProgressTest {
    /** A commit that loaded two files, failed, and loaded all three when tried again reports each file once. */
    @Test
    void eachFileIsReportedOnceHoweverManyTriesLoadIt() {
        List<String> heard = new ArrayList<>();
        RetriedCommitProgress progress = new RetriedCommitProgress((table, rows, bytes) -> heard.add(table + " " + rows + " " + bytes));

        progress.fileLoaded("a", 10, 100);
        progress.fileLoaded("b", 20, 200);
        progress.nextTry();
        progress.fileLoaded("a", 10, 100);
        progress.fileLoaded("b", 20, 200);
        progress.fileLoaded("a", 30, 300);

        assertEquals(List.of("a 10 100", "b 20 200", "a 30 300"), heard);
    }
}
