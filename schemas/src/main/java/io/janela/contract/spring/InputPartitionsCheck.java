package io.janela.contract.spring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Refuses to start Kafka Streams when a service's contact-keyed input topics have different partition counts (or not
 * the count the service was configured with, where its repartition topics are created with that count). They feed one
 * processor and one store; with different counts, a contact's messages and its statuses would land in different
 * tasks and silently miss each other (Kafka Streams checks co-partitioning only for joins). Runs just before the
 * Streams lifecycle phase; if Kafka cannot be reached, it says so and lets Streams wait for it.
 */
public final class InputPartitionsCheck implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InputPartitionsCheck.class);
    /** Just before StreamsBuilderFactoryBean's phase ({@code Integer.MAX_VALUE - 1000}). */
    private static final int PHASE = Integer.MAX_VALUE - 1001;

    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final Duration RETRY = Duration.ofMillis(250);

    private final KafkaAdmin admin;
    private final String service;
    private final List<String> inputs;
    private final int expected;
    private final String setting;
    private volatile boolean running;

    private InputPartitionsCheck(KafkaAdmin admin, String service, List<String> inputs, int expected, String setting) {
        this.admin = admin;
        this.service = service;
        this.inputs = List.copyOf(inputs);
        this.expected = expected;
        this.setting = setting;
    }

    /** The inputs must all have the same number of partitions, whatever it is. */
    public static InputPartitionsCheck sameCount(KafkaAdmin admin, String service, List<String> inputs) {
        return new InputPartitionsCheck(admin, service, inputs, 0, null);
    }

    /**
     * The inputs must all have {@code partitions} partitions, the count the service gives the repartition topics it
     * cannot size from its inputs; {@code setting} is the property that sets it, named in the refusal.
     */
    public static InputPartitionsCheck count(
            KafkaAdmin admin, String service, List<String> inputs, int partitions, String setting) {
        return new InputPartitionsCheck(admin, service, inputs, partitions, setting);
    }

    @Override
    public void start() {
        Map<String, TopicDescription> described = describe();
        if (described == null) {
            running = true;
            return;
        }
        Map<String, Integer> partitions = new TreeMap<>();
        described.forEach((name, description) ->
                partitions.put(name, description.partitions().size()));
        if (partitions.values().stream().distinct().count() > 1) {
            throw new IllegalStateException("The " + service + "'s input topics must have the same number of"
                    + " partitions (they are co-partitioned by contact key), but have " + partitions);
        }
        if (expected > 0
                && !partitions.isEmpty()
                && partitions.values().iterator().next() != expected) {
            throw new IllegalStateException("The " + service + "'s input topics must have " + setting + " (" + expected
                    + ") partitions, the count its repartition topics are created with, but have " + partitions
                    + ": set " + setting + " to their count");
        }
        running = true;
    }

    /**
     * The inputs' descriptions; null (with a warning) if Kafka cannot give them within {@link #PATIENCE}. Topics just
     * created may take a moment to be described.
     */
    private Map<String, TopicDescription> describe() {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                return admin.describeTopics(inputs.toArray(String[]::new));
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    Throwable cause = e.getCause() == null ? e : e.getCause();
                    log.warn("Could not check the partitions of the input topics {}: {}", inputs, cause.toString());
                    return null;
                }
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
