package io.janela.ingress.parse;

import static io.janela.ingress.parse.Parsing.CONTACT_KEY;
import static io.janela.ingress.parse.Parsing.PHONE_NUMBER_ID;
import static io.janela.ingress.parse.Parsing.USER_ID;
import static io.janela.ingress.parse.Parsing.WABA;
import static io.janela.ingress.parse.Parsing.WA_ID;
import static io.janela.ingress.parse.Parsing.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A business-scoped user id change arrives as a {@code messages} system message carrying {@code
 * system.previous_user_id} (Meta's changelog of 2026-08-11: {@code user_id_update} is not a subscribable field). It is
 * published twice: as the inbound message it is, and as the USER_ID_CHANGE account event that keeps one contact
 * across the change (the window-service reads it from whatsapp.account-events).
 */
class UserIdChangeParsingTest {

    static final String NEW_USER_ID = "US.24817305912873645029";
    static final Instant CHANGED_AT = Instant.ofEpochSecond(1765001400);

    @Test
    void aUserChangedUserIdSystemMessageIsAlsoAUserIdChangeOfThePreviousId() {
        List<MappedRecord> records = records("messages/system-user-id-changed-2026-08.json");

        assertThat(records)
                .extracting(MappedRecord::kind)
                .containsExactly(RecordKind.INBOUND_MESSAGE, RecordKind.ACCOUNT_EVENT);
        MappedRecord message = records.get(0);
        InboundMessage system = (InboundMessage) message.value();
        assertThat(message.key())
                .as("no from, no from_user_id: the contact the previous id names")
                .isEqualTo(CONTACT_KEY);
        assertThat(system.getType()).isEqualTo(InboundMessageType.SYSTEM);
        assertThat(system.getWaId()).isNull();
        assertThat(system.getSystem().getKind()).isEqualTo("user_changed_user_id");
        assertThat(system.getSystem().getPreviousUserId()).isEqualTo(USER_ID);
        assertThat(system.getSystem().getNewUserId()).isEqualTo(NEW_USER_ID);

        MappedRecord change = records.get(1);
        AccountEvent event = (AccountEvent) change.value();
        assertThat(change.key()).isEqualTo(PHONE_NUMBER_ID + ":USER_ID_CHANGE:" + USER_ID);
        assertThat(change.path()).isEqualTo(message.path()).isEqualTo("entry[0].changes[0].value.messages[0]");
        assertThat(change.timestamp()).isEqualTo(CHANGED_AT);
        assertThat(event.getKind()).isEqualTo(AccountEventKind.USER_ID_CHANGE);
        assertThat(event.getField()).isEqualTo("messages");
        assertThat(event.getEvent()).isEqualTo("user_changed_user_id");
        assertThat(event.getWabaId()).isEqualTo(WABA);
        assertThat(event.getPhoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(event.getPreviousUserId()).isEqualTo(USER_ID);
        assertThat(event.getNewUserId()).isEqualTo(NEW_USER_ID);
        assertThat(event.getWaId()).as("Meta shares no number with this change").isNull();
        assertThat(event.getTimestamp()).isEqualTo(CHANGED_AT);
        assertThat(event.getRawJson()).contains("\"previous_user_id\":\"" + USER_ID + "\"");
    }

    @Test
    void aNumberChangeRegeneratesTheIdAndTheChangeNamesTheNewNumber() {
        List<MappedRecord> records = records("messages/system-number-changed-2026-08.json");

        assertThat(records).hasSize(2);
        InboundMessage system = (InboundMessage) records.get(0).value();
        assertThat(records.get(0).key()).isEqualTo(CONTACT_KEY);
        assertThat(system.getWaId()).as("from: the number before the change").isEqualTo(WA_ID);
        assertThat(system.getSystem().getNewWaId()).isEqualTo("16505559876");
        AccountEvent event = (AccountEvent) records.get(1).value();
        assertThat(event.getEvent()).isEqualTo("user_changed_number");
        assertThat(event.getPreviousUserId()).isEqualTo(USER_ID);
        assertThat(event.getNewUserId()).isEqualTo(NEW_USER_ID);
        assertThat(event.getWaId()).as("the user's number after the change").isEqualTo("16505559876");
    }

    @Test
    void aSystemMessageWithoutThePreviousIdIsOnlyAnInboundMessage() {
        assertThat(records("messages/system-user-changed-user-id.json"))
                .extracting(MappedRecord::kind)
                .containsExactly(RecordKind.INBOUND_MESSAGE);
        assertThat(records("messages/system-user-changed-number.json"))
                .extracting(MappedRecord::kind)
                .containsExactly(RecordKind.INBOUND_MESSAGE);
    }

    @Test
    void aChangeNamingTheSameIdTwiceMovesNothing() {
        ParsedWebhook parsed = Parsing.parseText("""
                {"object": "whatsapp_business_account", "entry": [{"id": "%s", "changes": [{"field": "messages",
                  "value": {"messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": "15550783881", "phone_number_id": "%s"},
                    "messages": [{"id": "wamid.same", "timestamp": "1765001400", "type": "system",
                      "system": {"type": "user_changed_user_id", "user_id": "%s", "previous_user_id": "%s"}}]}}]}]}
                """.formatted(WABA, PHONE_NUMBER_ID, USER_ID, USER_ID));

        assertThat(parsed.problems()).isEmpty();
        assertThat(parsed.records()).extracting(MappedRecord::kind).containsExactly(RecordKind.INBOUND_MESSAGE);
    }

    private static List<MappedRecord> records(String path) {
        ParsedWebhook parsed = parse(path);
        assertThat(parsed.failure()).isEmpty();
        assertThat(parsed.problems()).isEmpty();
        return parsed.records();
    }
}
