package io.janela.dispatch.benchmark;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/** What the benchmarks share: their arguments and the producer that writes their input. */
final class Benchmarks {

    private Benchmarks() {}

    /** {@code name=value} arguments (a leading {@code --} is allowed). */
    static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] parts = arg.split("=", 2);
            options.put(parts[0].replaceFirst("^--", ""), parts.length > 1 ? parts[1] : "true");
        }
        return options;
    }

    /** A producer for a benchmark's input, written before the measured part. */
    static Map<String, Object> inputProducer(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        // Plain retries, one batch in flight per partition: the idempotent producer's sequence bookkeeping tripped
        // over fresh topics' first leader changes on this single node.
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return config;
    }
}
