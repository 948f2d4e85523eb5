package io.janela.testsupport.benchmark;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The two processing guarantees a four-cell Streams benchmark runs each topology under (DESIGN.md §5): the service's
 * exactly-once v2, and at-least-once, so that the cost of state and the cost of transactions show apart.
 */
public enum Guarantee {
    EXACTLY_ONCE_V2(StreamsConfig.EXACTLY_ONCE_V2, "EOS v2"),
    AT_LEAST_ONCE(StreamsConfig.AT_LEAST_ONCE, "at-least-once");

    private final String config;
    private final String label;

    Guarantee(String config, String label) {
        this.config = config;
        this.label = label;
    }

    /** The value of {@code processing.guarantee}. */
    public String config() {
        return config;
    }

    public String label() {
        return label;
    }

    /** A comma-separated list of {@code processing.guarantee} values, e.g. {@code exactly_once_v2,at_least_once}. */
    public static List<Guarantee> parse(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .map(value -> Arrays.stream(values())
                        .filter(guarantee -> guarantee.config.equals(value.toLowerCase(Locale.ROOT)))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown processing.guarantee " + value)))
                .toList();
    }
}
