package io.janela.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.contract.TopicNames;
import io.janela.localkafka.LocalKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack's topics on a real broker: the topics company systems write are stamped by the broker, whether the
 * stack creates them or finds them in a data directory kept from a build that created them without it.
 */
class StackTopicsIT {

    private static final TopicNames NAMES = TopicNames.defaults();

    @Test
    void createsTheCompanyTopicsWithTheBrokersTimestampsAndGivesThemToOnesAlreadyThere(@TempDir Path data)
            throws Exception {
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(data.resolve("kafka"), 0, 0, Map.of());
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            // As an older stack left it: created with the producers' timestamps.
            admin.createTopics(List.of(new NewTopic(NAMES.conversationResolutions(), 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            StackTopics.ensure(broker.bootstrapServers(), 1);

            // The broker applies a configuration change shortly after the controller accepted it.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(timestampType(admin, NAMES.outboundRequests())).isEqualTo("LogAppendTime");
                assertThat(timestampType(admin, NAMES.conversationResolutions()))
                        .isEqualTo("LogAppendTime");
            });
            assertThat(timestampType(admin, NAMES.windowEvents())).isEqualTo("CreateTime");
            assertThat(timestampType(admin, NAMES.inboundMessages())).isEqualTo("CreateTime");
        }
    }

    private static String timestampType(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = admin.describeConfigs(List.of(resource))
                .all()
                .get(30, TimeUnit.SECONDS)
                .get(resource);
        return config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value();
    }
}
