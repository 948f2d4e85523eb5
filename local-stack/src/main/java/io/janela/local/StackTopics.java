package io.janela.local;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/** Creates every topic of the contract that does not exist yet, as an operator would before the services start. */
final class StackTopics {

    private StackTopics() {}

    /** @return the names of every contract topic */
    static List<String> ensure(String bootstrapServers, int partitions) {
        // The descriptors carry the names and which topics are compacted; their serdes are not used here.
        JanelaTopics topics = JanelaTopics.create(
                TopicNames.defaults(), ValueSerdes.janela(Map.of("schema.registry.url", "mock://local-stack-topics")));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.all().stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(topic -> newTopic(topic, partitions))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return topics.all().stream().map(TopicDescriptor::name).toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create the topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the topics", e);
        }
    }

    /**
     * Compacted topics keep the latest value per key. The others keep records 14 days, dead letters 30. Kafka's
     * retention counts from the record timestamp, which Janela sets to the time of writing on every topic deleted by
     * time (Meta's and the measurements' own times are in the values; docs/reliability.md), so a record stays that
     * long after it was written however old its event. A dead-lettered webhook is a whole body (up to ingress's 4 MiB
     * limit).
     */
    private static NewTopic newTopic(TopicDescriptor<?, ?> topic, int partitions) {
        NewTopic newTopic = new NewTopic(topic.name(), partitions, (short) 1);
        if (topic.compacted()) {
            newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        } else if (topic.name().endsWith("dead-letter")) {
            newTopic.configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG,
                            Long.toString(Duration.ofDays(30).toMillis()),
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024 + 64 * 1024)));
        } else {
            newTopic.configs(Map.of(
                    TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(Duration.ofDays(14).toMillis())));
        }
        return newTopic;
    }
}
