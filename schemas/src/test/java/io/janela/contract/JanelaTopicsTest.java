package io.janela.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.ContactAlias;
import io.janela.serde.SpecificAvroSerde;
import io.janela.serde.registry.MockSchemaRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JanelaTopicsTest {

    private final String scope = "topics-" + UUID.randomUUID();
    private final Map<String, String> kafkaProperties = Map.of("schema.registry.url", "mock://" + scope);

    @AfterEach
    void drop() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void namesEveryTopicOfTheDesignByDefault() {
        JanelaTopics topics = JanelaTopics.create(TopicNames.defaults(), ValueSerdes.janela(kafkaProperties));

        assertThat(topics.all())
                .extracting(TopicDescriptor::name)
                .containsExactly(
                        "whatsapp.inbound-messages",
                        "whatsapp.message-statuses",
                        "whatsapp.template-events",
                        "whatsapp.user-preferences",
                        "whatsapp.webhooks.dead-letter",
                        "whatsapp.window-state",
                        "whatsapp.window-events",
                        "whatsapp.contact-aliases",
                        "whatsapp.outbound-requests",
                        "whatsapp.outbound-requests.dead-letter",
                        "whatsapp.templates",
                        "whatsapp.dispatch-results",
                        "whatsapp.window.dead-letter",
                        "whatsapp.metrics.dead-letter",
                        "whatsapp.call-events",
                        "whatsapp.message-echoes",
                        "whatsapp.account-events",
                        "whatsapp.conversation-resolutions",
                        "whatsapp.survey-events",
                        "whatsapp.sla-events",
                        "whatsapp.survey.dead-letter");
        assertThat(topics.all().stream().filter(TopicDescriptor::compacted).map(TopicDescriptor::name))
                .containsExactly(
                        "whatsapp.window-state",
                        "whatsapp.contact-aliases",
                        "whatsapp.templates",
                        "whatsapp.account-events");
    }

    @Test
    void theTopicsCompanySystemsWriteAreStampedByTheBrokerAndNoOther() {
        JanelaTopics topics = JanelaTopics.create(TopicNames.defaults(), ValueSerdes.janela(kafkaProperties));

        assertThat(topics.all().stream().filter(TopicDescriptor::logAppendTime).map(TopicDescriptor::name))
                .containsExactly("whatsapp.outbound-requests", "whatsapp.conversation-resolutions");
        assertThat(topics.outboundRequests().requiredConfigs())
                .containsExactly(Map.entry("message.timestamp.type", "LogAppendTime"));
        assertThat(topics.windowState().requiredConfigs()).containsExactly(Map.entry("cleanup.policy", "compact"));
        assertThat(topics.windowEvents().requiredConfigs()).isEmpty();
    }

    @Test
    void keepsDefaultsForNamesLeftOut() {
        TopicNames names = new TopicNames(
                "acme.inbound",
                null,
                null,
                null,
                null,
                null,
                " ",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                "acme.surveys.dlq");

        assertThat(names.inboundMessages()).isEqualTo("acme.inbound");
        assertThat(names.windowEvents()).isEqualTo("whatsapp.window-events");
        assertThat(names.surveyDeadLetter()).isEqualTo("acme.surveys.dlq");
        assertThat(names.callEvents()).isEqualTo("whatsapp.call-events");
    }

    @Test
    void givesEachTopicConfiguredSerdesOfItsTypes() {
        JanelaTopics topics = JanelaTopics.create(TopicNames.defaults(), ValueSerdes.janela(kafkaProperties));
        ContactAlias alias = ContactAlias.newBuilder()
                .setPhoneNumberId("1")
                .setWaId("2")
                .setContactId("US.3")
                .setSeenAt(Instant.EPOCH)
                .build();
        TopicDescriptor<String, ContactAlias> aliases = topics.contactAliases();

        byte[] bytes = aliases.valueSerde().serializer().serialize(aliases.name(), alias);

        assertThat(aliases.valueSerde().deserializer().deserialize(aliases.name(), bytes))
                .isEqualTo(alias);
        assertThat(aliases.keySerde().getClass()).isEqualTo(Serdes.String().getClass());
        assertThat(topics.webhooksDeadLetter().valueSerde().getClass())
                .isEqualTo(Serdes.ByteArray().getClass());
    }

    @Test
    void instantiatesAnotherSerdeClassByName() {
        ValueSerdes byName = ValueSerdes.ofClass(SpecificAvroSerdeByName.class.getName(), kafkaProperties);

        assertThat(byName.forType(ContactAlias.class)).isInstanceOf(SpecificAvroSerdeByName.class);
        assertThatThrownBy(() -> ValueSerdes.ofClass("com.example.Missing", kafkaProperties)
                        .forType(ContactAlias.class))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("com.example.Missing");
    }

    /** Stands for a serde class with a no-argument constructor, as Confluent's SpecificAvroSerde has. */
    public static final class SpecificAvroSerdeByName extends SpecificAvroSerde<ContactAlias> {
        public SpecificAvroSerdeByName() {
            super(ContactAlias.class);
        }
    }
}
