package io.janela.testsupport.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
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

    /** Adds the names declared in a Prometheus text exposition ({@code # TYPE} lines) to the module's file. */
    public static synchronized Set<String> record(String prometheusText) {
        return record(prometheusText, FILE);
    }

    static synchronized Set<String> record(String prometheusText, Path file) {
        Set<String> names = new TreeSet<>(namesIn(prometheusText));
        try {
            if (Files.exists(file)) {
                names.addAll(Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.isBlank())
                        .toList());
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, names, StandardCharsets.UTF_8);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static Set<String> namesIn(String prometheusText) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = TYPE_LINE.matcher(prometheusText);
        while (matcher.find()) {
            String name = matcher.group(1);
            // OpenMetrics declares counters without their _total suffix; the series carry it.
            names.add(matcher.group(2).equals("counter") && !name.endsWith("_total") ? name + "_total" : name);
        }
        return names;
    }
}
