package io.janela.local.faults;

import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.ResultKind;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.contract.TopicNames;
import io.janela.serde.AvroDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a whole topic, from its start to its end as of the call, with a chosen isolation level and no consumer group:
 * what a scenario counts its outcomes from. {@code read_committed} is what every consumer of Janela sees;
 * {@code read_uncommitted} also shows the records of aborted transactions (a killed Streams service's last
 * transaction), which is how a scenario proves that an aborted write happened and was not kept.
 */
final class TopicTally {

    private final String bootstrapServers;
    private final String registryUrl;

    TopicTally(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
    }

    /** OPENED events per contact key (keys kept by {@code contacts}), read with {@code isolation}. */
    Map<String, Integer> openedByContact(String isolation, Predicate<String> contacts) {
        Map<String, Integer> opened = new HashMap<>();
        this.<WindowEvent>readAll(TopicNames.defaults().windowEvents(), isolation, WindowEvent.class, (key, event) -> {
            if (key != null && contacts.test(key) && event != null && event.getType() == WindowEventType.OPENED) {
                opened.merge(key, 1, Integer::sum);
            }
        });
        return opened;
    }

    /** Message ids of the customer messages in whatsapp.inbound-messages ({@code read_committed}). */
    Set<String> inboundMessageIds(Predicate<String> messageIds) {
        return new HashSet<>(inboundRecordsByMessageId(messageIds).keySet());
    }

    /**
     * Records per message id in whatsapp.inbound-messages ({@code read_committed}): more than one is a redelivery
     * that ingress wrote again (Meta retried a 503 whose records had reached Kafka), for consumers to drop by id.
     */
    Map<String, Integer> inboundRecordsByMessageId(Predicate<String> messageIds) {
        Map<String, Integer> records = new HashMap<>();
        this.<InboundMessage>readAll(
                TopicNames.defaults().inboundMessages(), "read_committed", InboundMessage.class, (key, message) -> {
                    if (message != null && messageIds.test(message.getMessageId())) {
                        records.merge(message.getMessageId(), 1, Integer::sum);
                    }
                });
        return records;
    }

    /**
     * The OUTCOME records of whatsapp.dispatch-results ({@code read_committed}) per request id (kept by
     * {@code requestIds}): each as "outcome reason", in the order read.
     */
    Map<String, List<String>> dispatchOutcomes(Predicate<String> requestIds) {
        Map<String, List<String>> outcomes = new HashMap<>();
        this.<DispatchResult>readAll(
                TopicNames.defaults().dispatchResults(), "read_committed", DispatchResult.class, (key, result) -> {
                    if (result != null
                            && result.getKind() == ResultKind.OUTCOME
                            && requestIds.test(result.getRequestId())) {
                        outcomes.computeIfAbsent(result.getRequestId(), id -> new java.util.ArrayList<>())
                                .add(result.getOutcome()
                                        + (result.getReason() == null ? "" : " " + result.getReason()));
                    }
                });
        return outcomes;
    }

    /** Sum of the end offsets of {@code topic}'s partitions: how many offsets it holds (markers included). */
    long endOffsets(String topic) {
        try (KafkaConsumer<String, Object> consumer = consumer("read_uncommitted", WindowEvent.class)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    @SuppressWarnings("unchecked")
    private <V> void readAll(String topic, String isolation, Class<? extends V> type, BiConsumer<String, V> each) {
        try (KafkaConsumer<String, Object> consumer =
                consumer(isolation, (Class<? extends org.apache.avro.specific.SpecificRecord>) type)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For read_committed, the end is the last stable offset: an open transaction's records are not waited for.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 2 minutes");
                }
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
                    each.accept(record.key(), (V) record.value());
                }
            }
        }
    }

    private KafkaConsumer<String, Object> consumer(
            String isolation, Class<? extends org.apache.avro.specific.SpecificRecord> type) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "fault-tally-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                isolation,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                5000,
                "schema.registry.url",
                registryUrl);
        AvroDeserializer<Object> values = new AvroDeserializer<>(type);
        values.configure(config, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), values);
    }
}
