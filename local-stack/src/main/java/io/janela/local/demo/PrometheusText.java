package io.janela.local.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One scrape of a {@code /actuator/prometheus} page (the text exposition format), with the few queries the demo and
 * the load driver need: sums of counters by label, and {@code histogram_quantile} computed exactly as Prometheus does.
 */
public final class PrometheusText {

    /** One sample: metric name, labels, value. */
    public record Sample(String name, Map<String, String> labels, double value) {

        public String label(String name) {
            return labels.getOrDefault(name, "");
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText empty() {
        return new PrometheusText(List.of());
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            samples.add(sample(line.strip()));
        }
        return new PrometheusText(List.copyOf(samples));
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The sum of every sample of {@code name} whose labels pass {@code filter}; 0 when there is none. */
    public double sum(String name, Predicate<Sample> filter) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && filter.test(s))
                .mapToDouble(Sample::value)
                .sum();
    }

    public double sum(String name) {
        return sum(name, s -> true);
    }

    /** Sums of {@code name} grouped by one label, e.g. decisions by reason. */
    public Map<String, Double> sumBy(String name, String label, Predicate<Sample> filter) {
        Map<String, Double> sums = new TreeMap<>();
        samples.stream()
                .filter(s -> s.name().equals(name) && filter.test(s))
                .forEach(s -> sums.merge(s.label(label), s.value(), Double::sum));
        return sums;
    }

    /** This scrape minus an earlier one, sample by sample (counters and histogram buckets only grow). */
    public PrometheusText minus(PrometheusText earlier) {
        Map<String, Double> before = new LinkedHashMap<>();
        earlier.samples.forEach(s -> before.put(s.name() + s.labels(), s.value()));
        return new PrometheusText(samples.stream()
                .map(s -> new Sample(s.name(), s.labels(), s.value() - before.getOrDefault(s.name() + s.labels(), 0.0)))
                .toList());
    }

    /**
     * {@code histogram_quantile(q, sum by (le) (<name>_bucket))} as Prometheus computes it: the rank's bucket, linear
     * interpolation inside it, the lower bound of the first bucket taken as 0, and the highest finite bound when the
     * rank falls in the +Inf bucket. NaN when the histogram is empty.
     */
    public double histogramQuantile(double q, String name, Predicate<Sample> filter) {
        TreeMap<Double, Double> buckets = new TreeMap<>();
        samples.stream()
                .filter(s -> s.name().equals(name + "_bucket") && filter.test(s))
                .forEach(s -> buckets.merge(bound(s.label("le")), s.value(), Double::sum));
        if (buckets.isEmpty() || buckets.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double total = buckets.lastEntry().getValue();
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound;
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0
                        ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    private static double bound(String le) {
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space;
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        if (brace >= 0 && brace < line.indexOf(' ')) {
            name = line.substring(0, brace);
            int end = labels(line, brace + 1, labels);
            space = end + 1;
        } else {
            space = line.indexOf(' ');
            name = line.substring(0, space);
        }
        String rest = line.substring(space).strip();
        int valueEnd = rest.indexOf(' ');
        String value = valueEnd < 0 ? rest : rest.substring(0, valueEnd);
        return new Sample(name, Map.copyOf(labels), parseValue(value));
    }

    /** Reads {@code a="x",b="y"} from {@code start}; returns the index of the closing brace. */
    private static int labels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (i < line.length() && line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String key = line.substring(i, equals).strip();
            StringBuilder value = new StringBuilder();
            int j = equals + 2; // past ="
            while (line.charAt(j) != '"') {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
                j++;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            }
        }
        return i;
    }

    private static double parseValue(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(value);
        };
    }
}
