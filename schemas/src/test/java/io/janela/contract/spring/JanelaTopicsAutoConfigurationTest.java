package io.janela.contract.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.serde.registry.MockSchemaRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class JanelaTopicsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JanelaTopicsAutoConfiguration.class))
            .withPropertyValues("spring.kafka.properties.schema.registry.url=mock://autoconfig");

    @AfterEach
    void drop() {
        MockSchemaRegistry.dropScope("autoconfig");
    }

    @Test
    void bindsTopicNamesFromJanelaTopicsAndKeepsTheOtherDefaults() {
        runner.withPropertyValues(
                        "janela.topics.inbound-messages=acme.whatsapp.in",
                        "janela.topics.conversation-resolutions=acme.resolved")
                .run(context -> {
                    assertThat(context.getBean(JanelaTopics.class)
                                    .conversationResolutions()
                                    .name())
                            .isEqualTo("acme.resolved");
                    assertThat(context).hasSingleBean(JanelaTopics.class);
                    assertThat(context.getBean(TopicNames.class).inboundMessages())
                            .isEqualTo("acme.whatsapp.in");
                    assertThat(context.getBean(JanelaTopics.class).windowState().name())
                            .isEqualTo("whatsapp.window-state");
                });
    }

    @Test
    void failsToStartWithoutASchemaRegistryUrl() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JanelaTopicsAutoConfiguration.class))
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("schema.registry.url"));
    }
}
