package io.janela.local;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings that make every part agree on a shortened customer service window ({@code --window-length}, the demo):
 * the window-service's window and the lead time of its CLOSING_SOON event, the free entry point windows scaled the way
 * Meta's are (eligible for one window length, open for three), dispatch's safety margin before expiry, the sandbox's
 * own window (it answers 131047 outside it, as Meta does), how long the metrics-service lets a measurement settle, and
 * the survey-service's delay after a resolution, answer window and throttle.
 * Meta's window is 24 hours; nothing here is meant for anything but watching windows open and close on one machine.
 */
final class ShortWindow {

    private ShortWindow() {}

    static Map<String, String> properties(StackService service, Duration windowLength) {
        Map<String, String> properties = new LinkedHashMap<>();
        if (windowLength == null) {
            return properties;
        }
        switch (service) {
            case WINDOW -> {
                properties.put("janela.window.window-length", seconds(windowLength));
                properties.put("janela.window.closing-soon-lead-times", seconds(windowLength.dividedBy(3)));
                properties.put("janela.window.fep-eligibility", seconds(windowLength));
                properties.put("janela.window.fep-length", seconds(windowLength.multipliedBy(3)));
            }
            // Meta's 24 h against dispatch's 5 min default margin: the same proportion, at least a second.
            case DISPATCH ->
                properties.put(
                        "janela.dispatch.decision.window-safety-margin",
                        millis(max(Duration.ofSeconds(1), windowLength.dividedBy(288))));
            case SANDBOX -> properties.put("janela.sandbox.window-length", seconds(windowLength));
            // Measurements wait this long for out-of-order records (30 s by default): short, so numbers come soon.
            case METRICS -> properties.put("janela.metrics.settle-delay", "2s");
            // A survey follows a resolution after 2 s rather than 5 min; it can be answered for one window (Meta's
            // 24 h against 24 h) and a contact gets at most one per seven windows (7 days against 24 h).
            case SURVEY -> {
                properties.put("janela.survey.delay", "2s");
                properties.put("janela.survey.answer-window", seconds(windowLength));
                properties.put("janela.survey.throttle", seconds(windowLength.multipliedBy(7)));
            }
            default -> {}
        }
        return properties;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }

    private static String millis(Duration duration) {
        return duration.toMillis() + "ms";
    }
}
