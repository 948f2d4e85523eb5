package io.janela.testsupport.benchmark;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The four cells of a Streams throughput benchmark (DESIGN.md §5): a like-for-like pass-through and the service's
 * topology, each under exactly-once v2 and at-least-once, measured round after round in the same run. Collects the
 * rates and reports, per guarantee, the service's rate ÷ the pass-through's (the bar: ≥ 50 % under exactly-once), and
 * per topology exactly-once ÷ at-least-once (what transactions cost it).
 */
public final class FourCells {

    private final String workload;
    private final String service;
    private final String passThrough;
    private final Map<Guarantee, List<double[]>> rates = new EnumMap<>(Guarantee.class);

    /**
     * @param workload what the input is, e.g. "new contacts"
     * @param service the service's topology, e.g. "window topology"
     * @param passThrough the baseline, e.g. "Avro pass-through to 3 topics"
     */
    public FourCells(String workload, String service, String passThrough) {
        this.workload = workload;
        this.service = service;
        this.passThrough = passThrough;
    }

    /** Records one round under {@code guarantee} (input records/s of each) and returns the line that reports it. */
    public String add(Guarantee guarantee, double passThroughRate, double serviceRate) {
        List<double[]> rounds = rates.computeIfAbsent(guarantee, ignored -> new ArrayList<>());
        rounds.add(new double[] {passThroughRate, serviceRate});
        return String.format(
                "%s, %s, round %d: %s %,.0f records/s, %s %,.0f records/s = %.0f %%",
                workload,
                guarantee.label(),
                rounds.size(),
                passThrough,
                passThroughRate,
                service,
                serviceRate,
                100 * serviceRate / passThroughRate);
    }

    /** The medians per guarantee, and exactly-once ÷ at-least-once for each topology when both were run. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        rates.forEach((guarantee, rounds) -> {
            List<Double> ratios = rounds.stream().map(r -> r[1] / r[0]).toList();
            lines.add(String.format(
                    "%s, %s, medians of %d rounds: %s %,.0f records/s, %s %,.0f records/s; %s ÷ pass-through %.0f %%"
                            + " (rounds %.0f–%.0f %%)%s",
                    workload,
                    guarantee.label(),
                    rounds.size(),
                    passThrough,
                    median(rounds.stream().map(r -> r[0]).toList()),
                    service,
                    median(rounds.stream().map(r -> r[1]).toList()),
                    service,
                    100 * median(ratios),
                    100 * ratios.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    100 * ratios.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                    guarantee == Guarantee.EXACTLY_ONCE_V2 ? " (bar ≥ 50 %)" : ""));
        });
        List<double[]> eos = rates.get(Guarantee.EXACTLY_ONCE_V2);
        List<double[]> alos = rates.get(Guarantee.AT_LEAST_ONCE);
        if (eos != null && alos != null) {
            lines.add(String.format(
                    "%s, exactly-once ÷ at-least-once (medians): %s %.0f %%, %s %.0f %%",
                    workload,
                    passThrough,
                    100
                            * median(eos.stream().map(r -> r[0]).toList())
                            / median(alos.stream().map(r -> r[0]).toList()),
                    service,
                    100
                            * median(eos.stream().map(r -> r[1]).toList())
                            / median(alos.stream().map(r -> r[1]).toList())));
        }
        return lines;
    }

    /**
     * The settings that decide what a store write costs, as an application runs with {@code config} (Kafka Streams'
     * defaults where it sets nothing): the record cache, the commit interval per guarantee, transactional state
     * stores, the RocksDB configuration.
     */
    public static String settings(Map<String, ?> settings) {
        Map<String, Object> config = new java.util.HashMap<>(settings);
        Map<String, Object> defaults = StreamsConfig.configDef().defaultValues();
        Object cache = config.containsKey(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)
                ? config.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)
                : defaults.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG);
        Object commit = config.containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)
                ? config.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG) + " ms"
                : "Kafka's default (100 ms under exactly-once, 30 s under at-least-once)";
        Object setter = config.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
        return String.format(
                "record cache (statestore.cache.max.bytes) %,d bytes; commit.interval.ms %s;"
                        + " enable.transactional.statestores %s; rocksdb.config.setter %s; num.stream.threads %s;"
                        + " max.task.idle.ms %s",
                Long.parseLong(String.valueOf(cache)),
                commit,
                config.getOrDefault(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "false"),
                setter == null
                        ? "none (Kafka Streams' RocksDB defaults: per store a 50 MB block cache, 3 memtables of"
                                + " 16 MB, 4 KB blocks, no WAL)"
                        : setter,
                config.getOrDefault(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1),
                config.getOrDefault(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, "Kafka's default (0)"));
    }

    public static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
