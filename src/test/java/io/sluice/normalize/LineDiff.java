package io.sluice.normalize;

import java.util.List;

/** A line diff of two small texts, for golden-file failures: common lines indented, removed ones {@code -}, added ones {@code +}. */
final class LineDiff {
    private LineDiff() {
    }

    static String of(String expected, String actual) {
        List<String> before = expected.lines().toList();
        List<String> after = actual.lines().toList();
        // Longest common subsequence of lines, from the end, so the walk below can go forward.
        int[][] common = new int[before.size() + 1][after.size() + 1];
        for (int i = before.size() - 1; i >= 0; i--) {
            for (int j = after.size() - 1; j >= 0; j--) {
                common[i][j] = before.get(i).equals(after.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        StringBuilder diff = new StringBuilder();
        int i = 0;
        int j = 0;
        while (i < before.size() || j < after.size()) {
            if (i < before.size() && j < after.size() && before.get(i).equals(after.get(j))) {
                diff.append("  ").append(before.get(i++)).append('\n');
                j++;
            } else if (j < after.size() && (i == before.size() || common[i][j + 1] >= common[i + 1][j])) {
                diff.append("+ ").append(after.get(j++)).append('\n');
            } else {
                diff.append("- ").append(before.get(i++)).append('\n');
            }
        }
        return diff.toString();
    }
}
