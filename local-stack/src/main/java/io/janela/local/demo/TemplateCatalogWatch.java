package io.janela.local.demo;

import io.janela.contract.TopicNames;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until dispatch's template catalog (whatsapp.templates, keyed {@code {wabaId}:{name}:{language}}) holds the
 * templates the demo sends: dispatch lists them from the sandbox just after it starts, and a template request decided
 * before that is refused as TEMPLATE_NOT_FOUND.
 */
final class TemplateCatalogWatch {

    private TemplateCatalogWatch() {}

    static void awaitTemplates(String bootstrapServers, Set<String> keys, Duration timeout) {
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<String, byte[]> consumer = TopicReading.committedBytes(bootstrapServers)) {
            List<TopicPartition> partitions =
                    TopicReading.assignAll(consumer, TopicNames.defaults().templates(), timeout);
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
