package io.janela.local;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;

/**
 * Creates every topic of the contract that does not exist yet, as an operator would before the services start, and
 * gives the broker's timestamps to existing topics that need them (a data directory kept from an older build).
 */
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
            Map<ConfigResource, Collection<AlterConfigOp>> stamped = topics.all().stream()
                    .filter(topic -> topic.logAppendTime() && existing.contains(topic.name()))
                    .collect(Collectors.toMap(
                            topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic.name()),
                            topic -> List.of(new AlterConfigOp(
                                    new ConfigEntry(
                                            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                                            TimestampType.LOG_APPEND_TIME.name),
                                    AlterConfigOp.OpType.SET))));
            if (!stamped.isEmpty()) {
                admin.incrementalAlterConfigs(stamped).all().get(30, TimeUnit.SECONDS);
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
     * long after it was written however old its event; the topics company systems write are stamped by the broker
     * ({@code message.timestamp.type=LogAppendTime}, {@link TopicDescriptor#requiredConfigs()}). A dead-lettered webhook
     * is a whole body (up to ingress's 4 MiB limit).
     */
    private static NewTopic newTopic(TopicDescriptor<?, ?> topic, int partitions) {
        Map<String, String> configs = new HashMap<>(topic.requiredConfigs());
        if (topic.name().endsWith("dead-letter")) {
            configs.put(
                    TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(Duration.ofDays(30).toMillis()));
            configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024 + 64 * 1024));
        } else if (!topic.compacted()) {
            configs.put(
                    TopicConfig.RETENTION_MS_CONFIG,
                    Long.toString(Duration.ofDays(14).toMillis()));
        }
        return new NewTopic(topic.name(), partitions, (short) 1).configs(configs);
    }
}
