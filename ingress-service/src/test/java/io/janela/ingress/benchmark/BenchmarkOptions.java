package io.janela.ingress.benchmark;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Benchmark arguments given as {@code name=value} words (in one or several arguments), each with a default. */
final class BenchmarkOptions {

    private final Map<String, String> values = new HashMap<>();

    BenchmarkOptions(String[] args) {
        for (String arg : args) {
            for (String word : arg.trim().split("\\s+")) {
                int equals = word.indexOf('=');
                if (equals > 0) {
                    values.put(word.substring(0, equals), word.substring(equals + 1));
                } else if (!word.isEmpty()) {
                    values.put(word, "true");
                }
            }
        }
    }

    /** A word given on its own, such as {@code ingress-only}. */
    boolean flag(String name) {
        return Boolean.parseBoolean(values.get(name));
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** A duration such as {@code 30s} or {@code 2m}. */
    Duration duration(String name, String fallback) {
        return Duration.parse("PT" + values.getOrDefault(name, fallback).toUpperCase(Locale.ROOT));
    }

    /** A comma-separated list of integers such as {@code 1,50}. */
    int[] integers(String name, String fallback) {
        return Arrays.stream(values.getOrDefault(name, fallback).split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
    }
}
