package io.janela.local.demo;

import io.janela.avro.DispatchResult;
import io.janela.avro.ResultKind;
import io.janela.contract.TopicNames;
import io.janela.serde.AvroDeserializer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads whatsapp.dispatch-results from the end, on its own thread, and keeps the OUTCOME of each request id: how the
 * demo knows that dispatch has answered every request it made.
 */
final class DispatchResultsWatch implements AutoCloseable {

    private final Map<String, DispatchResult> outcomes = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, DispatchResult> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean assigned;

    DispatchResultsWatch(String bootstrapServers, String registryUrl) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG,
                "local-stack-demo-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                // Only committed results: dispatch writes them in transactions.
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                AvroDeserializer.class,
                "schema.registry.url",
                registryUrl,
                "specific.avro.reader",
                true));
        consumer.subscribe(List.of(TopicNames.defaults().dispatchResults()));
        thread = Thread.ofPlatform().daemon().name("demo-dispatch-results").start(this::run);
    }

    /** Waits until the consumer has its partitions, so that no result of a later request is missed. */
    void awaitAssigned(Duration timeout) {
        Waits.until("the dispatch results consumer is assigned", timeout, () -> assigned);
    }

    private void run() {
        while (running) {
            for (ConsumerRecord<String, DispatchResult> record : consumer.poll(Duration.ofMillis(200))) {
                DispatchResult result = record.value();
                if (result != null && result.getKind() == ResultKind.OUTCOME) {
                    outcomes.putIfAbsent(result.getRequestId(), result);
                }
            }
            if (!consumer.assignment().isEmpty()) {
                assigned = true;
            }
        }
        consumer.close();
    }

    /** Waits until every one of these request ids has its outcome. */
    Map<String, DispatchResult> awaitOutcomes(Collection<String> requestIds, Duration timeout) {
        Waits.until(
                "dispatch's outcome of every demo request",
                timeout,
                () -> requestIds.stream().allMatch(outcomes::containsKey));
        return Map.copyOf(outcomes);
    }

    /** Waits for the first outcome that matches (a survey's, whose request id the survey-service chose). */
    DispatchResult awaitOutcome(String what, Predicate<DispatchResult> match, Duration timeout) {
        DispatchResult[] found = new DispatchResult[1];
        Waits.until(what, timeout, () -> {
            found[0] = outcomes.values().stream().filter(match).findFirst().orElse(null);
            return found[0] != null;
        });
        return found[0];
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
