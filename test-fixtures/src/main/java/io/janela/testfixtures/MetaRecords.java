package io.janela.testfixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.CallDirection;
import io.janela.avro.CallEvent;
import io.janela.avro.CallEventType;
import io.janela.avro.CallStatus;
import io.janela.avro.CloseReason;
import io.janela.avro.ContactAlias;
import io.janela.avro.Conversation;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.EchoMessageType;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.InboundReply;
import io.janela.avro.InboundSystemChange;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.Origin;
import io.janela.avro.PayloadType;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import io.janela.avro.Referral;
import io.janela.avro.ReplyKind;
import io.janela.avro.ResultKind;
import io.janela.avro.SurveyAnswerForm;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.avro.SurveyPath;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowOpener;
import io.janela.contract.SurveyAnswers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Janela's records as ingress, the window-service, dispatch and survey-service write them, built from Meta's webhook
 * items (the shapes of WHATSAPP.md §3.5 and §3.6) found on the test class path under {@code /meta/} — this module's
 * calls and echoes, and each service's own in its {@code src/test/resources/meta} — with ids, times and contacts set
 * by each test.
 *
 * <p>Two ways to name a customer, both kept: a user id and a phone number ({@code userId}, {@code waId}; either may
 * be null, as Meta may send only one), or a {@link Contact} with both.
 */
public final class MetaRecords {

    public static final String PHONE_NUMBER_ID = "106540352242922";
    public static final String WABA_ID = "102290129340398";
    /** The contact of the webhook examples. */
    public static final Contact ANA = new Contact("US.13491208655302741918", "16505551234");
    /** Another contact. */
    public static final Contact BEN = new Contact("BR.77012345678901234567", "5511987654321");

    public static final String USER_ID = ANA.userId();
    public static final String WA_ID = ANA.waId();
    public static final String CONTACT_KEY = ANA.key();
    public static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    public static final Duration WINDOW = Duration.ofHours(24);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A WhatsApp user: business-scoped user id and phone number (wa_id). */
    public record Contact(String userId, String waId) {

        /** The contact key: by business-scoped user id. */
        public String key() {
            return PHONE_NUMBER_ID + ":" + userId;
        }

        /** The key of a record that knows only the phone number. */
        public String phoneKey() {
            return PHONE_NUMBER_ID + ":" + waId;
        }
    }

    private MetaRecords() {}

    public static Instant at(Duration sinceT0) {
        return T0.plus(sinceT0);
    }

    // Customer messages

    /** A customer message from the fixture, from this user (a BSUID) with this phone number (or none). */
    public static InboundMessage inbound(String fixture, String messageId, Instant at, String userId, String waId) {
        JsonNode item = read(fixture);
        String type = item.path("type").asText();
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
                .setText(item.path("text").path("body").asText(null))
                .setSystem(
                        system.isMissingNode()
                                ? null
                                : InboundSystemChange.newBuilder()
                                        .setKind(system.path("type").asText(null))
                                        .setBody(system.path("body").asText(null))
                                        .setNewWaId(system.path("wa_id").asText(null))
                                        .setNewUserId(system.path("user_id").asText(null))
                                        .setPreviousUserId(
                                                system.path("previous_user_id").asText(null))
                                        .build())
                .setReferral(
                        referral.isMissingNode()
                                ? null
                                : Referral.newBuilder()
                                        .setSourceUrl(
                                                referral.path("source_url").asText(null))
                                        .setSourceId(referral.path("source_id").asText(null))
                                        .setSourceType(
                                                referral.path("source_type").asText(null))
                                        .setHeadline(referral.path("headline").asText(null))
                                        .setCtwaClid(referral.path("ctwa_clid").asText(null))
                                        .build())
                .setRawJson(item.toString())
                .build();
    }

    /** A text message ({@code text-message.json}) from this user, known by user id only. */
    public static InboundMessage text(String messageId, Instant at, String userId) {
        return inbound("text-message.json", messageId, at, userId, null);
    }

    /** A text message from ANA ({@code inbound-text.json}), as ingress publishes it. */
    public static InboundMessage customerMessage(String messageId, Instant at) {
        return inbound(ANA, messageId, at, InboundMessageType.TEXT);
    }

    public static InboundMessage customerMessage(Contact contact, String messageId, Instant at) {
        return inbound(contact, messageId, at, InboundMessageType.TEXT);
    }

    /** A message of this type from {@code contact}, from {@code inbound-text.json} (its text only when TEXT). */
    public static InboundMessage inbound(Contact contact, String messageId, Instant at, InboundMessageType type) {
        InboundMessage message = inbound("inbound-text.json", messageId, at, contact.userId(), contact.waId());
        message.setType(type);
        if (type != InboundMessageType.TEXT) {
            message.setText(null);
        }
        return message;
    }

    /** The contact's tap on a satisfaction survey's list row: an answer, not a message awaiting a reply. */
    public static InboundMessage surveyTap(Contact contact, String messageId, Instant at, String surveyId, int score) {
        InboundMessage tap = inbound(contact, messageId, at, InboundMessageType.INTERACTIVE);
        tap.setReply(InboundReply.newBuilder()
                .setKind(ReplyKind.LIST_REPLY)
                .setId(SurveyAnswers.code(surveyId, score))
                .setTitle(score + " - Excellent")
                .build());
        return tap;
    }

    // Statuses

    /**
     * A status item from the fixture about a message sent to this user (null: sent to a phone number, so Meta names
     * no user) at this phone number. A conversation's expiry keeps its distance from the fixture's timestamp.
     */
    public static MessageStatus status(String fixture, String messageId, Instant at, String userId, String waId) {
        return status(read(fixture), messageId, at, userId, waId).build();
    }

    /** A status webhook item of the given kind for ANA, from the resource of that kind, for message {@code wamid}. */
    public static MessageStatus.Builder status(String wamid, DeliveryStatus status, Instant at) {
        return status(ANA, wamid, status, at);
    }

    /**
     * A status of the given kind for {@code contact}, from {@code status-<kind>.json}. Like Meta, a status whose item
     * has no {@code recipient_user_id} (a failed one) names only the phone number: its contact id (and so its key) is
     * the wa_id.
     */
    public static MessageStatus.Builder status(Contact contact, String wamid, DeliveryStatus status, Instant at) {
        JsonNode item = read("status-" + status.name().toLowerCase(Locale.ROOT) + ".json");
        String recipientUserId = item.hasNonNull("recipient_user_id") ? contact.userId() : null;
        return status(item, wamid, at, recipientUserId, contact.waId()).setStatus(status);
    }

    private static MessageStatus.Builder status(
            JsonNode item, String messageId, Instant at, String userId, String waId) {
        JsonNode pricing = item.path("pricing");
        JsonNode conversation = item.path("conversation");
        List<MetaError> errors = new ArrayList<>();
        for (JsonNode error : item.path("errors")) {
            errors.add(MetaError.newBuilder()
                    .setCode(error.path("code").asInt())
                    .setTitle(error.path("title").asText(null))
                    .setMessage(error.path("message").asText(null))
                    .setDetails(error.path("error_data").path("details").asText(null))
                    .build());
        }
        long fixtureTime = Long.parseLong(item.path("timestamp").asText());
        return MessageStatus.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(userId != null ? userId : waId)
                .setRecipientId(waId)
                .setRecipientUserId(userId)
                .setStatus(DeliveryStatus.valueOf(item.path("status").asText().toUpperCase(Locale.ROOT)))
                .setTimestamp(at)
                .setBizOpaqueCallbackData(item.path("biz_opaque_callback_data").asText(null))
                .setPricing(
                        pricing.isMissingNode()
                                ? null
                                : Pricing.newBuilder()
                                        .setBillable(pricing.path("billable").asBoolean())
                                        .setPricingModel(
                                                pricing.path("pricing_model").asText(null))
                                        .setType(PricingType.valueOf(
                                                pricing.path("type").asText().toUpperCase(Locale.ROOT)))
                                        .setCategory(MessageCategory.valueOf(pricing.path("category")
                                                .asText()
                                                .toUpperCase(Locale.ROOT)))
                                        .build())
                .setConversation(
                        conversation.isMissingNode()
                                ? null
                                : Conversation.newBuilder()
                                        .setId(conversation.path("id").asText(null))
                                        .setOriginType(MessageCategory.valueOf(conversation
                                                .path("origin")
                                                .path("type")
                                                .asText()
                                                .toUpperCase(Locale.ROOT)))
                                        .setExpiresAt(at.plusSeconds(Long.parseLong(conversation
                                                        .path("expiration_timestamp")
                                                        .asText())
                                                - fixtureTime))
                                        .build())
                .setErrors(errors)
                .setRawJson(item.toString());
    }

    /** The key ingress gives a status: the business-scoped id when Meta sent one, else the phone number. */
    public static String keyOf(MessageStatus status) {
        return status.getPhoneNumberId() + ":" + status.getContactId();
    }

    // Calls and echoes

    /**
     * A {@code calls} webhook item from the fixture, as ingress publishes it: a {@code value.calls[]} item (user call
     * {@code connect} / {@code terminate}, with its direction) or a {@code value.statuses[]} item of a call the
     * business placed ({@code RINGING}, {@code ACCEPTED}, {@code REJECTED}), with the call id, the time and the user
     * chosen by the test.
     */
    public static CallEvent call(String fixture, String callId, Instant at, String userId, String waId) {
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
                                : CallDirection.valueOf(item.path("direction").asText()))
                .setEvent(
                        statusItem
                                ? CallEventType.STATUS
                                : CallEventType.valueOf(
                                        item.path("event").asText().toUpperCase(Locale.ROOT)))
                .setStatus(status.isMissingNode() ? null : CallStatus.valueOf(status.asText()))
                .setDurationSeconds(item.has("duration") ? item.path("duration").asInt() : null)
                .setErrors(List.of())
                .setTimestamp(at)
                .setRawJson(item.toString())
                .build();
    }

    public static CallEvent call(String fixture, Contact contact, String callId, Instant at) {
        return call(fixture, callId, at, contact.userId(), contact.waId());
    }

    /**
     * An {@code smb_message_echoes} item from the fixture ({@code echo-text.json}, {@code echo-reaction.json}), as
     * ingress publishes it: the business wrote to this customer from the WhatsApp Business app.
     */
    public static MessageEcho echo(String fixture, String messageId, Instant at, String userId, String waId) {
        JsonNode item = read(fixture);
        return MessageEcho.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setDisplayPhoneNumber(item.path("from").asText())
                .setContactId(userId != null ? userId : waId)
                .setUserId(userId)
                .setWaId(waId)
                .setType(EchoMessageType.valueOf(item.path("type").asText().toUpperCase(Locale.ROOT)))
                .setTimestamp(at)
                .setContextMessageId(item.path("context").path("id").asText(null))
                .setRawJson(item.toString())
                .build();
    }

    /**
     * An echo to {@code contact}. Meta names the customer by {@code to_user_id} when it has one; {@code byPhoneOnly}
     * drops it, so that the record is keyed by the phone number ({@code to}).
     */
    public static MessageEcho echo(String fixture, Contact contact, String messageId, Instant at, boolean byPhoneOnly) {
        return echo(fixture, messageId, at, byPhoneOnly ? null : contact.userId(), contact.waId());
    }

    // User id changes

    /**
     * A user_id_update as ingress publishes it (AccountEvent USER_ID_CHANGE): {@code user_id.previous} and {@code
     * user_id.current} of a user of this business number.
     */
    public static AccountEvent userIdChange(String previousUserId, String newUserId, Instant at) {
        String raw = "{\"user_id\":{\"previous\":\"" + previousUserId + "\",\"current\":\"" + newUserId
                + "\"},\"timestamp\":\"" + at.getEpochSecond() + "\"}";
        return AccountEvent.newBuilder()
                .setKind(AccountEventKind.USER_ID_CHANGE)
                .setField("user_id_update")
                .setWabaId(WABA_ID)
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
    public static InboundMessage userIdChangedMessage(String messageId, Instant at) {
        JsonNode system = read("system-user-changed-user-id.json").path("system");
        return inbound(
                "system-user-changed-user-id.json",
                messageId,
                at,
                system.path("previous_user_id").asText(),
                null);
    }

    /** The USER_ID_CHANGE ingress publishes beside such a system message: field {@code messages}, at its time. */
    public static AccountEvent userIdChange(InboundMessage systemMessage) {
        InboundSystemChange system = systemMessage.getSystem();
        return AccountEvent.newBuilder()
                .setKind(AccountEventKind.USER_ID_CHANGE)
                .setField("messages")
                .setEvent(system.getKind())
                .setWabaId(WABA_ID)
                .setPhoneNumberId(systemMessage.getPhoneNumberId())
                .setPreviousUserId(system.getPreviousUserId())
                .setNewUserId(system.getNewUserId())
                .setTimestamp(systemMessage.getTimestamp())
                .setRawJson(systemMessage.getRawJson())
                .build();
    }

    // Dispatch results

    /**
     * Dispatch's SENT result with only what every result carries (no origin, payload, category nor cost): decided
     * 100 ms before {@code sentAt}.
     */
    public static DispatchResult sent(String requestId, String wamid, Instant sentAt, String contactId) {
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

    /** Dispatch's SENT result for a free-form text request to ANA, costed: decided 200 ms before {@code sentAt}. */
    public static DispatchResult.Builder sent(String requestId, String wamid, Origin origin, Instant sentAt) {
        return sent(ANA, requestId, wamid, origin, sentAt);
    }

    public static DispatchResult.Builder sent(
            Contact contact, String requestId, String wamid, Origin origin, Instant sentAt) {
        return DispatchResult.newBuilder()
                .setRequestId(requestId)
                .setKind(ResultKind.OUTCOME)
                .setOutcome(DispatchOutcome.SENT)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contact.userId())
                .setWamid(wamid)
                .setOrigin(origin)
                .setPayloadType(PayloadType.TEXT)
                .setCategory(MessageCategory.SERVICE)
                .setPricingType(PricingType.FREE_CUSTOMER_SERVICE)
                .setEstimatedCost(new BigDecimal("0.000000"))
                .setCurrency("USD")
                .setAttempts(1)
                .setRequestCreatedAt(sentAt.minusMillis(300))
                .setDecidedAt(sentAt.minusMillis(200))
                .setSentAt(sentAt);
    }

    /** A template send dispatch predicted as utility, costed. */
    public static DispatchResult.Builder sentTemplate(Contact contact, String requestId, String wamid, Instant sentAt) {
        return sent(contact, requestId, wamid, Origin.SYSTEM, sentAt)
                .setPayloadType(PayloadType.TEMPLATE)
                .setTemplateName("order_update")
                .setTemplateLanguage("en_US")
                .setCategory(MessageCategory.UTILITY)
                .setPricingType(PricingType.REGULAR)
                .setEstimatedCost(new BigDecimal("0.004000"));
    }

    /** Dispatch's FAILED result: the Cloud API refused the send with this error code. */
    public static DispatchResult.Builder refused(
            Contact contact, String requestId, int metaErrorCode, Instant decidedAt) {
        return sent(contact, requestId, null, Origin.AGENT, decidedAt)
                .setOutcome(DispatchOutcome.FAILED)
                .setReason(DispatchReason.META_ERROR)
                .setMetaErrorCode(metaErrorCode)
                .setSentAt(null)
                .setDecidedAt(decidedAt);
    }

    // Window events and aliases, as the window-service writes them

    public static WindowEvent opened(Instant openedAt, String openingMessageId, boolean firstContact) {
        return opened(ANA, openedAt, openingMessageId, firstContact);
    }

    public static WindowEvent opened(Contact contact, Instant openedAt, String openingMessageId, boolean firstContact) {
        return WindowEvent.newBuilder()
                .setEventId(contact.key() + ":OPENED:" + openedAt.toEpochMilli())
                .setType(WindowEventType.OPENED)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contact.userId())
                .setWaId(contact.waId())
                .setOccurredAt(openedAt)
                .setWindowOpenedAt(openedAt)
                .setWindowExpiresAt(openedAt.plus(WINDOW))
                .setOpeningMessageId(openingMessageId)
                .setFirstContact(firstContact)
                .setPreviousWindowClosedAt(firstContact ? null : openedAt.minus(Duration.ofDays(3)))
                .build();
    }

    /**
     * A LATE window event as the window-service writes it: a qualifying message at {@code at} came after the window it
     * would have opened was over; a returning contact's previous window closed three days before.
     */
    public static WindowEvent late(Contact contact, Instant at, String messageId, boolean firstContact) {
        return WindowEvent.newBuilder(opened(contact, at, messageId, firstContact))
                .setEventId(contact.key() + ":LATE:" + at.toEpochMilli())
                .setType(WindowEventType.LATE)
                .setOpenedBy(WindowOpener.MESSAGE)
                .build();
    }

    public static WindowEvent closed(Instant openedAt, Instant expiresAt, boolean businessReplied) {
        return closed(ANA, openedAt, expiresAt, businessReplied);
    }

    public static WindowEvent closed(Contact contact, Instant openedAt, Instant expiresAt, boolean businessReplied) {
        return WindowEvent.newBuilder()
                .setEventId(contact.key() + ":CLOSED:" + openedAt.toEpochMilli())
                .setType(WindowEventType.CLOSED)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contact.userId())
                .setWaId(contact.waId())
                .setOccurredAt(expiresAt)
                .setWindowOpenedAt(openedAt)
                .setWindowExpiresAt(expiresAt)
                // As the window-service says it: the expiry is the last qualifying customer message plus the window.
                .setLastInboundAt(expiresAt.minus(WINDOW))
                .setBusinessReplied(businessReplied)
                .setCloseReason(CloseReason.EXPIRED)
                .build();
    }

    public static ContactAlias alias(Contact contact) {
        return ContactAlias.newBuilder()
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setWaId(contact.waId())
                .setContactId(contact.userId())
                .setSeenAt(T0)
                .build();
    }

    // Survey events, as survey-service writes them

    /**
     * survey-service's ANSWERED event for survey {@code surveyId} of {@code contact}, answered by the customer message
     * {@code answerMessageId} at {@code answeredAt} (Meta's time), as its {@code Events} writes it.
     */
    public static SurveyEvent surveyAnswered(
            Contact contact, String surveyId, String answerMessageId, Instant answeredAt, int score, String team) {
        return SurveyEvent.newBuilder()
                .setEventId(surveyId + ":ANSWERED")
                .setSurveyId(surveyId)
                .setKind(SurveyEventKind.ANSWERED)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contact.userId())
                .setUserId(contact.userId())
                .setWaId(contact.waId())
                .setScore(score)
                .setAnswerForm(SurveyAnswerForm.FREE_TEXT)
                .setPath(SurveyPath.IN_WINDOW)
                .setTeam(team)
                .setAgentId("agent-7")
                .setSurveyMessageId("wamid.survey-" + surveyId)
                .setAnswerMessageId(answerMessageId)
                .setOccurredAt(answeredAt)
                .setAnsweredAt(answeredAt)
                .setSentAt(answeredAt.minus(Duration.ofMinutes(10)))
                .setExpiresAt(answeredAt.plus(Duration.ofHours(23)))
                .build();
    }

    /** survey-service's DELIVERED event: Meta reported the survey message delivered. */
    public static SurveyEvent surveyDelivered(Contact contact, String surveyId, Instant deliveredAt, String team) {
        return SurveyEvent.newBuilder()
                .setEventId(surveyId + ":DELIVERED")
                .setSurveyId(surveyId)
                .setKind(SurveyEventKind.DELIVERED)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contact.userId())
                .setPath(SurveyPath.IN_WINDOW)
                .setTeam(team)
                .setSurveyMessageId("wamid.survey-" + surveyId)
                .setOccurredAt(deliveredAt)
                .setSentAt(deliveredAt.minusSeconds(2))
                .build();
    }

    /** A webhook item from {@code /meta/<fixture>} on the test class path. */
    public static JsonNode read(String fixture) {
        try (InputStream in = MetaRecords.class.getResourceAsStream("/meta/" + fixture)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource meta/" + fixture);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
