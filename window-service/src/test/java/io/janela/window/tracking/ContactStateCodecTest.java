package io.janela.window.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessageType;
import io.janela.contract.ContactKey;
import io.janela.serde.SpecificAvroSerde;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.window.rules.BusinessMessage;
import io.janela.window.rules.ContactState;
import io.janela.window.rules.CustomerMessage;
import io.janela.window.rules.FepConfirmation;
import io.janela.window.rules.MetaClose;
import io.janela.window.rules.WindowPolicy;
import io.janela.window.rules.WindowRules;
import io.janela.window.tracking.avro.StoredContact;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;

class ContactStateCodecTest {

    @Test
    void everyFieldSurvivesTheStore() {
        WindowRules rules = new WindowRules(WindowPolicy.meta());
        ContactKey key = new ContactKey("106540352242922", "US.1");
        Instant t0 = Instant.parse("2026-11-20T10:00:00Z");
        ContactState state = rules.onCustomerMessage(
                        null,
                        key,
                        new CustomerMessage("wamid.1", t0, InboundMessageType.TEXT, true, false, "US.1", "16505551234"),
                        t0)
                .after();
        state = rules.onBusinessMessage(state, new BusinessMessage("wamid.r", t0.plusSeconds(5)), t0.plusSeconds(5))
                .after();
        state = rules.onFepConfirmation(state, new FepConfirmation(t0.plusSeconds(6), t0.plus(Duration.ofHours(72))))
                .after();
        state = rules.onMetaClose(state, new MetaClose(t0.plusSeconds(7))).after();

        assertThat(ContactStateCodec.decode(ContactStateCodec.encode(state))).isEqualTo(state);
        assertThat(ContactStateCodec.decode(null)).isNull();

        // Through the store's serde, with Avro's custom coders on, as the store and its changelog see it.
        var serde = SpecificAvroSerde.forValues(
                StoredContact.class, Map.of("schema.registry.url", "mock://contact-state-codec-test"));
        try {
            byte[] bytes = serde.serializer().serialize("window-contacts-changelog", ContactStateCodec.encode(state));
            assertThat(ContactStateCodec.decode(serde.deserializer().deserialize("window-contacts-changelog", bytes)))
                    .isEqualTo(state);
            assertThat(SpecificData.getForClass(StoredContact.class).useCustomCoders())
                    .isTrue();
        } finally {
            MockSchemaRegistry.dropScope("contact-state-codec-test");
        }
    }
}
