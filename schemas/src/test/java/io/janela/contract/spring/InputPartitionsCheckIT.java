package io.janela.contract.spring;

import static org.assertj.core.api.Assertions.assertThat;
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

        assertThatThrownBy(
                        () -> InputPartitionsCheck.sameCount(admin(), "window-service", List.of("in-a", "in-b", "in-c"))
                                .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("window-service's input topics must have the same number of partitions")
                .hasMessageContaining("in-c=3");
    }

    @Test
    void startsWhenTheInputsAreCoPartitioned() {
        kafka.broker()
                .createTopics(
                        new NewTopic("same-a", 4, (short) 1),
                        new NewTopic("same-b", 4, (short) 1),
                        new NewTopic("same-c", 4, (short) 1));
        InputPartitionsCheck check =
                InputPartitionsCheck.sameCount(admin(), "window-service", List.of("same-a", "same-b", "same-c"));

        assertThatCode(check::start).doesNotThrowAnyException();
        assertThat(check.isRunning()).isTrue();
    }

    @Test
    void refusesToStartWhenTheInputsHaveAnotherCountThanTheConfiguredOne() {
        kafka.broker().createTopics(new NewTopic("twelve-a", 12, (short) 1), new NewTopic("twelve-b", 12, (short) 1));

        assertThatThrownBy(() -> InputPartitionsCheck.count(
                                admin(),
                                "metrics-service",
                                List.of("twelve-a", "twelve-b"),
                                6,
                                "janela.metrics.topic-partitions")
                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("metrics-service's input topics must have janela.metrics.topic-partitions (6)")
                .hasMessageContaining("twelve-a=12")
                .hasMessageContaining("set janela.metrics.topic-partitions to their count");
    }

    @Test
    void startsWhenTheInputsHaveTheConfiguredCount() {
        kafka.broker().createTopics(new NewTopic("four-a", 4, (short) 1), new NewTopic("four-b", 4, (short) 1));
        InputPartitionsCheck check = InputPartitionsCheck.count(
                admin(), "metrics-service", List.of("four-a", "four-b"), 4, "janela.metrics.topic-partitions");

        assertThatCode(check::start).doesNotThrowAnyException();
        assertThat(check.isRunning()).isTrue();
    }
}
