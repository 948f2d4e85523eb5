package io.janela.ingress.parse;

import io.janela.avro.Conversation;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageStatus;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A {@code statuses[]} item → {@link MessageStatus}, keyed by contact. The contact is {@code recipient_user_id} when
 * present; else the business-scoped user id of the change's contact with that {@code recipient_id} (statuses carry a
 * {@code contacts[]} since 2026); else {@code recipient_id} itself (a failed status of a message sent to a phone
 * number has neither: the window-service resolves such keys through whatsapp.contact-aliases).
 */
final class MessageStatusMapper {

    private final RawJson rawJson;

    MessageStatusMapper(RawJson rawJson) {
        this.rawJson = rawJson;
    }

    MappedRecord map(JsonNode status, ChangeContext change, String path, ParseNotes notes) {
        String messageId = JsonFields.id(status, "id");
        if (messageId == null) {
            throw new InvalidItemException("no id");
        }
        Instant timestamp = MetaTime.required(status, "timestamp");
        String phoneNumberId = change.requirePhoneNumberId();

        String recipientId = JsonFields.id(status, "recipient_id");
        String recipientUserId = JsonFields.id(status, "recipient_user_id");
        if (recipientUserId == null && recipientId != null) {
            Contacts.Contact contact = change.contacts().match(null, recipientId);
            recipientUserId = contact == null ? null : contact.userId();
        }
        String contactId = recipientUserId != null ? recipientUserId : recipientId;
        if (contactId == null) {
            throw new InvalidItemException("no recipient_user_id or recipient_id: no identity");
        }

        MessageStatus value = MessageStatus.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(phoneNumberId)
                .setDisplayPhoneNumber(change.displayPhoneNumber())
                .setWabaId(change.wabaId())
                .setContactId(contactId)
                .setRecipientId(recipientId)
                .setRecipientUserId(recipientUserId)
                .setRecipientType(JsonFields.text(status, "recipient_type"))
                .setStatus(MetaSymbols.symbol(
                        DeliveryStatus.class,
                        JsonFields.text(status, "status"),
                        DeliveryStatus.UNKNOWN,
                        "status",
                        notes))
                .setTimestamp(timestamp)
                .setBizOpaqueCallbackData(JsonFields.text(status, "biz_opaque_callback_data"))
                .setPricing(SharedObjects.pricing(status, notes))
                .setConversation(conversation(status, notes))
                .setErrors(SharedObjects.errors(status, notes))
                .setRawJson(rawJson.of(status))
                .build();
        return new MappedRecord(
                RecordKind.MESSAGE_STATUS, SharedObjects.contactKey(phoneNumberId, contactId), value, timestamp, path);
    }

    /**
     * The legacy billing object; since API v24 only inside a free entry point window, where its {@code
     * expiration_timestamp} (a string of Unix seconds, on {@code sent}) is Meta's confirmed end of that window.
     */
    private static Conversation conversation(JsonNode status, ParseNotes notes) {
        JsonNode conversation = JsonFields.object(status, "conversation");
        if (conversation == null) {
            return null;
        }
        Instant expiresAt = MetaTime.optional(conversation, "expiration_timestamp");
        if (expiresAt == null && JsonFields.has(conversation, "expiration_timestamp")) {
            notes.unrecognised("conversation_expiration");
        }
        return Conversation.newBuilder()
                .setId(JsonFields.id(conversation, "id"))
                .setOriginType(MetaSymbols.symbol(
                        MessageCategory.class,
                        JsonFields.text(JsonFields.object(conversation, "origin"), "type"),
                        MessageCategory.UNKNOWN,
                        "conversation_origin",
                        notes))
                .setExpiresAt(expiresAt)
                .build();
    }
}
