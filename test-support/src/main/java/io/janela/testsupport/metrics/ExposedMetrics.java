package io.janela.testsupport.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records the metric names a service exposes, as its ITs saw them at {@code /actuator/prometheus}, in the module's
 * {@code target/exposed-metrics.txt}. The deployment's validation checks every metric that an alert or a dashboard
 * uses against these files, so that a renamed meter cannot leave an alert silently watching nothing.
 *
 * <p>Call it at the end of an IT that exercised the service (meters with tags appear once used). Several ITs of one
 * module add to the same file.
 */
public final class ExposedMetrics {

    /** Failsafe runs in the module's folder. */
    static final Path FILE = Path.of("target", "exposed-metrics.txt");

    private static final Pattern TYPE_LINE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

    private ExposedMetrics() {}

    /**
     * Adds the metrics declared in a Prometheus text exposition ({@code # TYPE} lines) to the module's file, one
     * {@code name type} per line, and returns the names.
     */
    public static synchronized Set<String> record(String prometheusText) {
        return record(prometheusText, FILE);
    }

    static synchronized Set<String> record(String prometheusText, Path file) {
        Map<String, String> types = new TreeMap<>(typesIn(prometheusText));
        try {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = line.trim().split("\\s+");
                    if (!parts[0].isEmpty()) {
                        types.putIfAbsent(parts[0], parts.length > 1 ? parts[1] : "untyped");
                    }
                }
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(
                    file,
                    types.entrySet().stream()
                            .map(entry -> entry.getKey() + " " + entry.getValue())
                            .toList(),
                    StandardCharsets.UTF_8);
            return new TreeSet<>(types.keySet());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static Set<String> namesIn(String prometheusText) {
        return new TreeSet<>(typesIn(prometheusText).keySet());
    }

    /**
     * Name → type of every {@code # TYPE} line. The type tells which series Prometheus derives: {@code _bucket} only
     * from a histogram, {@code _count} and {@code _sum} from a histogram or a summary.
     */
    static Map<String, String> typesIn(String prometheusText) {
        Map<String, String> types = new TreeMap<>();
        Matcher matcher = TYPE_LINE.matcher(prometheusText);
        while (matcher.find()) {
            String name = matcher.group(1);
            String type = matcher.group(2);
            // OpenMetrics declares counters without their _total suffix; the series carry it.
            types.put(type.equals("counter") && !name.endsWith("_total") ? name + "_total" : name, type);
        }
        return types;
    }
}
