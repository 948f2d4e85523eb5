package io.janela.window.tracking;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.CallDirection;
import io.janela.avro.CallEvent;
import io.janela.avro.CallEventType;
import io.janela.avro.CallStatus;
import io.janela.avro.Conversation;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.EchoMessageType;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.InboundSystemChange;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import io.janela.avro.Referral;
import io.janela.avro.ResultKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Input records as ingress publishes them, made from Meta's webhook items in {@code src/test/resources/meta} (the
 * shapes of WHATSAPP.md §3.5 and §3.6), with the message id, the time and the contact chosen by the test.
 */
final class MetaRecords {

    static final String PHONE_NUMBER_ID = "106540352242922";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MetaRecords() {}

    /** A customer message from the fixture, from this user (a BSUID) with this phone number (or none). */
    static InboundMessage inbound(String fixture, String messageId, Instant at, String userId, String waId) {
        JsonNode item = read(fixture);
        String type = item.path("type").asString();
        JsonNode system = item.path("system");
        JsonNode referral = item.path("referral");
        return InboundMessage.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(userId != null ? userId : waId)
                .setUserId(userId)
                .setWaId(waId)
                .setTimestamp(at)
                .setType(InboundMessageType.valueOf(type.toUpperCase(Locale.ROOT)))
                .setText(item.path("text").path("body").asString(null))
                .setSystem(
                        system.isMissingNode()
                                ? null
                                : InboundSystemChange.newBuilder()
                                        .setKind(system.path("type").asString(null))
                                        .setBody(system.path("body").asString(null))
                                        .setNewWaId(system.path("wa_id").asString(null))
                                        .setNewUserId(system.path("user_id").asString(null))
                                        .setPreviousUserId(
                                                system.path("previous_user_id").asString(null))
                                        .build())
                .setReferral(
                        referral.isMissingNode()
                                ? null
                                : Referral.newBuilder()
                                        .setSourceUrl(
                                                referral.path("source_url").asString(null))
                                        .setSourceId(referral.path("source_id").asString(null))
                                        .setSourceType(
                                                referral.path("source_type").asString(null))
                                        .setHeadline(referral.path("headline").asString(null))
                                        .setCtwaClid(referral.path("ctwa_clid").asString(null))
                                        .build())
                .setRawJson(item.toString())
                .build();
    }

    static InboundMessage text(String messageId, Instant at, String userId) {
        return inbound("text-message.json", messageId, at, userId, null);
    }

    /**
     * A status item from the fixture about a message sent to this user (null: sent to a phone number, so Meta names
     * no user) at this phone number. A conversation's expiry keeps its distance from the fixture's timestamp.
     */
    static MessageStatus status(String fixture, String messageId, Instant at, String userId, String waId) {
        JsonNode item = read(fixture);
        JsonNode pricing = item.path("pricing");
        JsonNode conversation = item.path("conversation");
        List<MetaError> errors = new ArrayList<>();
        for (JsonNode error : item.path("errors")) {
            errors.add(MetaError.newBuilder()
                    .setCode(error.path("code").asInt())
                    .setTitle(error.path("title").asString(null))
                    .setMessage(error.path("message").asString(null))
                    .setDetails(error.path("error_data").path("details").asString(null))
                    .build());
        }
        long fixtureTime = Long.parseLong(item.path("timestamp").asString());
        return MessageStatus.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(userId != null ? userId : waId)
                .setRecipientId(waId)
                .setRecipientUserId(userId)
                .setStatus(DeliveryStatus.valueOf(item.path("status").asString().toUpperCase(Locale.ROOT)))
                .setTimestamp(at)
                .setPricing(
                        pricing.isMissingNode()
                                ? null
                                : Pricing.newBuilder()
                                        .setBillable(pricing.path("billable").asBoolean())
                                        .setPricingModel(
                                                pricing.path("pricing_model").asString(null))
                                        .setType(PricingType.valueOf(
                                                pricing.path("type").asString().toUpperCase(Locale.ROOT)))
                                        .setCategory(MessageCategory.valueOf(pricing.path("category")
                                                .asString()
                                                .toUpperCase(Locale.ROOT)))
                                        .build())
                .setConversation(
                        conversation.isMissingNode()
                                ? null
                                : Conversation.newBuilder()
                                        .setId(conversation.path("id").asString(null))
                                        .setOriginType(MessageCategory.valueOf(conversation
                                                .path("origin")
                                                .path("type")
                                                .asString()
                                                .toUpperCase(Locale.ROOT)))
                                        .setExpiresAt(at.plusSeconds(Long.parseLong(conversation
                                                        .path("expiration_timestamp")
                                                        .asString())
                                                - fixtureTime))
                                        .build())
                .setErrors(errors)
                .setRawJson(item.toString())
                .build();
    }

    /**
     * A call item from the fixture as ingress publishes it: a {@code calls[]} item (connect or terminate, with its
     * direction) or a call's {@code statuses[]} item (a business-initiated call: RINGING, ACCEPTED, REJECTED), with
     * the call id, the time and the user chosen by the test.
     */
    static CallEvent call(String fixture, String callId, Instant at, String userId, String waId) {
        JsonNode item = read(fixture);
        boolean statusItem = item.path("event").isMissingNode();
        JsonNode status = item.path("status");
        return CallEvent.newBuilder()
                .setCallId(callId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(userId != null ? userId : waId)
                .setUserId(userId)
                .setWaId(waId)
                .setDirection(
                        statusItem
                                ? CallDirection.BUSINESS_INITIATED
                                : CallDirection.valueOf(item.path("direction").asString()))
                .setEvent(
                        statusItem
                                ? CallEventType.STATUS
                                : CallEventType.valueOf(
                                        item.path("event").asString().toUpperCase(Locale.ROOT)))
                .setStatus(status.isMissingNode() ? null : CallStatus.valueOf(status.asString()))
                .setTimestamp(at)
                .setRawJson(item.toString())
                .build();
    }

    /** An smb_message_echoes item from the fixture: the business wrote to this customer from the Business app. */
    static MessageEcho echo(String fixture, String messageId, Instant at, String userId, String waId) {
        JsonNode item = read(fixture);
        return MessageEcho.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(userId != null ? userId : waId)
                .setUserId(userId)
                .setWaId(waId)
                .setType(EchoMessageType.valueOf(item.path("type").asString().toUpperCase(Locale.ROOT)))
                .setTimestamp(at)
                .setContextMessageId(item.path("context").path("id").asString(null))
                .setRawJson(item.toString())
                .build();
    }

    /**
     * A user_id_update as ingress publishes it (AccountEvent USER_ID_CHANGE): {@code user_id.previous} and {@code
     * user_id.current} of a user of this business number.
     */
    static AccountEvent userIdChange(String previousUserId, String newUserId, Instant at) {
        String raw = "{\"user_id\":{\"previous\":\"" + previousUserId + "\",\"current\":\"" + newUserId
                + "\"},\"timestamp\":\"" + at.getEpochSecond() + "\"}";
        return AccountEvent.newBuilder()
                .setKind(AccountEventKind.USER_ID_CHANGE)
                .setField("user_id_update")
                .setWabaId("102290129340398")
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setPreviousUserId(previousUserId)
                .setNewUserId(newUserId)
                .setTimestamp(at)
                .setRawJson(raw)
                .build();
    }

    /**
     * A user id change as Meta sends it since 2026-08-11: a {@code messages} system message {@code
     * user_changed_user_id} with {@code system.previous_user_id} and {@code system.user_id} and no phone number. Ingress
     * keys it by the previous id.
     */
    static InboundMessage userIdChangedMessage(String messageId, Instant at) {
        JsonNode system = read("system-user-changed-user-id.json").path("system");
        return inbound(
                "system-user-changed-user-id.json",
                messageId,
                at,
                system.path("previous_user_id").asString(),
                null);
    }

    /** The USER_ID_CHANGE ingress publishes beside such a system message: field {@code messages}, at its time. */
    static AccountEvent userIdChange(InboundMessage systemMessage) {
        InboundSystemChange system = systemMessage.getSystem();
        return AccountEvent.newBuilder()
                .setKind(AccountEventKind.USER_ID_CHANGE)
                .setField("messages")
                .setEvent(system.getKind())
                .setWabaId("102290129340398")
                .setPhoneNumberId(systemMessage.getPhoneNumberId())
                .setPreviousUserId(system.getPreviousUserId())
                .setNewUserId(system.getNewUserId())
                .setTimestamp(systemMessage.getTimestamp())
                .setRawJson(systemMessage.getRawJson())
                .build();
    }

    /** What dispatch publishes when Meta accepted a send. */
    static DispatchResult sent(String requestId, String wamid, Instant sentAt, String contactId) {
        return DispatchResult.newBuilder()
                .setRequestId(requestId)
                .setKind(ResultKind.OUTCOME)
                .setOutcome(DispatchOutcome.SENT)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contactId)
                .setWamid(wamid)
                .setRequestCreatedAt(sentAt.minusMillis(200))
                .setDecidedAt(sentAt.minusMillis(100))
                .setSentAt(sentAt)
                .build();
    }

    private static JsonNode read(String fixture) {
        try (InputStream in = MetaRecords.class.getResourceAsStream("/meta/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + fixture);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
