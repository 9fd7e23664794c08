package io.sluice.cli;

import java.util.Map;

/**
 * ANSI colors for a person at a terminal, and none for logs, pipes or anyone who set {@code NO_COLOR}
 * (no-color.org: any non-empty value turns them off).
 */
record Colors(boolean enabled) {
    private static final String RESET = "\u001b[0m";

    static Colors forStdout() {
        return decide(System.getenv(), System.console() != null && System.console().isTerminal());
    }

    static Colors decide(Map<String, String> environment, boolean terminal) {
        String noColor = environment.get("NO_COLOR");
        return new Colors(terminal && (noColor == null || noColor.isEmpty()));
    }

    String green(String text) {
        return paint("\u001b[32m", text);
    }

    String yellow(String text) {
        return paint("\u001b[33m", text);
    }

    String red(String text) {
        return paint("\u001b[31m", text);
    }

    private String paint(String color, String text) {
        return enabled ? color + text + RESET : text;
    }
}
