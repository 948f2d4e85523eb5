package io.janela.window.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.testsupport.kafka.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.kafka.core.KafkaAdmin;

class InputPartitionsCheckIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    KafkaAdmin admin() {
        return new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    @Test
    void refusesToStartWhenTheInputsHaveDifferentPartitionCounts() {
        kafka.broker()
                .createTopics(
                        new NewTopic("in-a", 6, (short) 1),
                        new NewTopic("in-b", 6, (short) 1),
                        new NewTopic("in-c", 3, (short) 1));

        assertThatThrownBy(() -> new InputPartitionsCheck(admin(), List.of("in-a", "in-b", "in-c")).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("same number of partitions")
                .hasMessageContaining("in-c=3");
    }

    @Test
    void startsWhenTheInputsAreCoPartitioned() {
        kafka.broker()
                .createTopics(
                        new NewTopic("same-a", 4, (short) 1),
                        new NewTopic("same-b", 4, (short) 1),
                        new NewTopic("same-c", 4, (short) 1));
        InputPartitionsCheck check = new InputPartitionsCheck(admin(), List.of("same-a", "same-b", "same-c"));

        assertThatCode(check::start).doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThat(check.isRunning()).isTrue();
    }
}
