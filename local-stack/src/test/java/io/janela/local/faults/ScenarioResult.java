package io.janela.local.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a scenario measured (figures) and which of its invariants held: the lines of its part of the report. */
final class ScenarioResult {

    private final String name;
    private final String command;
    private final List<String> lines = new ArrayList<>();
    private final List<String> broken = new ArrayList<>();

    ScenarioResult(String name, String command) {
        this.name = name;
        this.command = command;
    }

    void figure(String format, Object... args) {
        lines.add("  " + String.format(Locale.ROOT, format, args));
    }

    /** Records an invariant; a broken one fails the scenario (and the suite's exit code). */
    void check(String invariant, boolean holds, String detail) {
        lines.add(String.format(Locale.ROOT, "  [%s] %s: %s", holds ? "ok" : "BROKEN", invariant, detail));
        if (!holds) {
            broken.add(invariant);
        }
    }

    boolean passed() {
        return broken.isEmpty();
    }

    List<String> broken() {
        return List.copyOf(broken);
    }

    String name() {
        return name;
    }

    String text() {
        StringBuilder text = new StringBuilder();
        text.append("## ")
                .append(name)
                .append(passed() ? " — passed" : " — FAILED " + broken)
                .append('\n');
        text.append("  (").append(command).append(")\n");
        lines.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
