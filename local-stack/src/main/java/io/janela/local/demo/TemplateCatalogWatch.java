package io.janela.local.demo;

import io.janela.contract.TopicNames;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Waits until dispatch's template catalog (whatsapp.templates, keyed {@code {wabaId}:{name}:{language}}) holds the
 * templates the demo sends: dispatch lists them from the sandbox just after it starts, and a template request decided
 * before that is refused as TEMPLATE_NOT_FOUND.
 */
final class TemplateCatalogWatch {

    private TemplateCatalogWatch() {}

    static void awaitTemplates(String bootstrapServers, Set<String> keys, Duration timeout) {
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class))) {
            String topic = TopicNames.defaults().templates();
            Waits.until(
                    "the topic " + topic,
                    timeout,
                    () -> !consumer.partitionsFor(topic).isEmpty());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Waits.until("dispatch's template catalog", timeout, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    if (record.value() != null) {
                        seen.add(record.key());
                    }
                }
                return seen.containsAll(keys);
            });
        }
        // The catalog reaches dispatch's global store a moment after it reaches the topic.
        Waits.pause(Duration.ofSeconds(1));
    }
}
