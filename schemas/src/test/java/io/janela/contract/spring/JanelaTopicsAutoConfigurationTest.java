package io.janela.contract.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ContactAlias;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.serde.registry.MockSchemaRegistry;
import org.apache.kafka.common.serialization.Serde;
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
    void aServiceKeepsItsOwnAvroRecordsWithTheSameValueSerdesAsTheTopics() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ValueSerdes.class);
            ValueSerdes values = context.getBean(ValueSerdes.class);
            Serde<ContactAlias> serde = values.forType(ContactAlias.class);
            ContactAlias alias = new ContactAlias(
                    "100000000000001", "5511999990000", "BR.1", java.time.Instant.parse("2026-12-06T10:00:00Z"));
            byte[] bytes = serde.serializer().serialize("a-store-changelog", alias);
            assertThat(serde.deserializer().deserialize("a-store-changelog", bytes))
                    .isEqualTo(alias);
        });
    }

    @Test
    void aServicesOwnValueSerdesIsTheOneItsTopicsUse() {
        ValueSerdes own = ValueSerdes.janela(java.util.Map.of("schema.registry.url", "mock://autoconfig"));
        runner.withBean(ValueSerdes.class, () -> own).run(context -> {
            assertThat(context).hasSingleBean(ValueSerdes.class);
            assertThat(context.getBean(ValueSerdes.class)).isSameAs(own);
            assertThat(context).hasSingleBean(JanelaTopics.class);
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
