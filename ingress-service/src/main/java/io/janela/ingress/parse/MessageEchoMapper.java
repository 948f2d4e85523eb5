package io.janela.ingress.parse;

import io.janela.avro.EchoMessageType;
import io.janela.avro.MessageEcho;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A {@code message_echoes[]} item of an {@code smb_message_echoes} change (WHATSAPP.md §11.2: a message the business
 * sent from the WhatsApp Business app on a coexistence number) → {@link MessageEcho}, keyed by the contact it went
 * to: {@code to_user_id} when present (or that of the change's contact with this {@code wa_id}), else {@code to} (documented as
 * the number the message went to, possibly with a leading {@code +}: read as the wa_id without it). A
 * type the contract does not know becomes {@code UNKNOWN}, never a problem.
 */
final class MessageEchoMapper {

    static final String FIELD = "smb_message_echoes";
    static final String ARRAY = "message_echoes";

    private final RawJson rawJson;

    MessageEchoMapper(RawJson rawJson) {
        this.rawJson = rawJson;
    }

    MappedRecord map(JsonNode echo, ChangeContext change, String path, ParseNotes notes) {
        String messageId = JsonFields.id(echo, "id");
        if (messageId == null) {
            throw new InvalidItemException("no id");
        }
        Instant timestamp = MetaTime.required(echo, "timestamp");
        String phoneNumberId = change.requirePhoneNumberId();
        Contacts.Identity identity = change.contacts()
                .identify(JsonFields.id(echo, "to_user_id"), PhoneNumbers.waId(JsonFields.id(echo, "to")));
        String contactId = identity.contactId();
        if (contactId == null) {
            throw new InvalidItemException("no to_user_id or to: no identity");
        }
        MessageEcho value = MessageEcho.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(phoneNumberId)
                .setDisplayPhoneNumber(change.displayPhoneNumber())
                .setWabaId(change.wabaId())
                .setContactId(contactId)
                .setUserId(identity.userId())
                .setWaId(identity.waId())
                .setType(MetaSymbols.symbol(
                        EchoMessageType.class,
                        JsonFields.text(echo, "type"),
                        EchoMessageType.UNKNOWN,
                        "echo_type",
                        notes))
                .setTimestamp(timestamp)
                .setContextMessageId(JsonFields.id(JsonFields.object(echo, "context"), "id"))
                .setRawJson(rawJson.of(echo))
                .build();
        return new MappedRecord(
                RecordKind.MESSAGE_ECHO, SharedObjects.contactKey(phoneNumberId, contactId), value, timestamp, path);
    }
}
