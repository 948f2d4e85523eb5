package io.janela.metrics.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janela.avro.CallDirection;
import io.janela.avro.CallEvent;
import io.janela.avro.CallEventType;
import io.janela.avro.CallStatus;
import io.janela.avro.CloseReason;
import io.janela.avro.ContactAlias;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.EchoMessageType;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.InboundReply;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.Origin;
import io.janela.avro.PayloadType;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import io.janela.avro.ReplyKind;
import io.janela.avro.ResultKind;
import io.janela.avro.SurveyAnswerForm;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.avro.SurveyPath;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
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
 * Janela's input records as ingress, the window-service and dispatch write them, built from the webhook items in
 * {@code src/test/resources/meta} (copied from the shapes in WHATSAPP.md), with ids and times set by each test.
 */
public final class MetaRecords {

    public static final String PHONE_NUMBER_ID = "106540352242922";
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

    /** A text message from the contact, as ingress publishes it. */
    public static InboundMessage customerMessage(String messageId, Instant at) {
        return inbound(ANA, messageId, at, InboundMessageType.TEXT);
    }

    public static InboundMessage customerMessage(Contact contact, String messageId, Instant at) {
        return inbound(contact, messageId, at, InboundMessageType.TEXT);
    }

    public static InboundMessage inbound(Contact contact, String messageId, Instant at, InboundMessageType type) {
        JsonNode item = resource("inbound-text.json");
        return InboundMessage.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contact.userId())
                .setUserId(contact.userId())
                .setWaId(contact.waId())
                .setTimestamp(at)
                .setType(type)
                .setText(
                        type == InboundMessageType.TEXT
                                ? item.path("text").path("body").asText()
                                : null)
                .setRawJson(item.toString())
                .build();
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

    /** A status webhook item of the given kind, from the resource of that kind, for message {@code wamid}. */
    public static MessageStatus.Builder status(String wamid, DeliveryStatus status, Instant at) {
        return status(ANA, wamid, status, at);
    }

    /**
     * A status of the given kind for {@code contact}. Like Meta, a failed status names only the phone number: its
     * contact id (and so its key) is the wa_id.
     */
    public static MessageStatus.Builder status(Contact contact, String wamid, DeliveryStatus status, Instant at) {
        JsonNode item = resource("status-" + status.name().toLowerCase(Locale.ROOT) + ".json");
        JsonNode pricing = item.path("pricing");
        List<MetaError> errors = new ArrayList<>();
        for (JsonNode error : item.path("errors")) {
            errors.add(MetaError.newBuilder()
                    .setCode(error.path("code").asInt())
                    .setTitle(error.path("title").asText())
                    .setMessage(error.path("message").asText())
                    .setDetails(error.path("error_data").path("details").asText())
                    .build());
        }
        String recipientUserId = item.hasNonNull("recipient_user_id") ? contact.userId() : null;
        return MessageStatus.newBuilder()
                .setMessageId(wamid)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(recipientUserId != null ? recipientUserId : contact.waId())
                .setRecipientId(contact.waId())
                .setRecipientUserId(recipientUserId)
                .setStatus(status)
                .setTimestamp(at)
                .setBizOpaqueCallbackData(item.path("biz_opaque_callback_data").asText(null))
                .setPricing(
                        pricing.isMissingNode()
                                ? null
                                : Pricing.newBuilder()
                                        .setBillable(pricing.path("billable").asBoolean())
                                        .setPricingModel(
                                                pricing.path("pricing_model").asText())
                                        .setType(PricingType.valueOf(
                                                pricing.path("type").asText().toUpperCase(Locale.ROOT)))
                                        .setCategory(MessageCategory.valueOf(pricing.path("category")
                                                .asText()
                                                .toUpperCase(Locale.ROOT)))
                                        .build())
                .setErrors(errors)
                .setRawJson(item.toString());
    }

    /** The key ingress gives a status: the business-scoped id when Meta sent one, else the phone number. */
    public static String keyOf(MessageStatus status) {
        return status.getPhoneNumberId() + ":" + status.getContactId();
    }

    /** Dispatch's SENT result for a request. */
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
                .setReason(io.janela.avro.DispatchReason.META_ERROR)
                .setMetaErrorCode(metaErrorCode)
                .setSentAt(null)
                .setDecidedAt(decidedAt);
    }

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

    /**
     * An {@code smb_message_echoes} item from the fixture ({@code echo-text.json}, {@code echo-reaction.json}), as
     * ingress publishes it: the business wrote to {@code contact} from the WhatsApp Business app. Meta names the
     * customer by {@code to_user_id} when it has one; {@code byPhoneOnly} drops it, so that the record is keyed by the
     * phone number ({@code to}).
     */
    public static MessageEcho echo(String fixture, Contact contact, String messageId, Instant at, boolean byPhoneOnly) {
        JsonNode item = resource(fixture);
        String userId = byPhoneOnly ? null : contact.userId();
        return MessageEcho.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setDisplayPhoneNumber(item.path("from").asText())
                .setContactId(userId != null ? userId : contact.waId())
                .setUserId(userId)
                .setWaId(contact.waId())
                .setType(EchoMessageType.valueOf(item.path("type").asText().toUpperCase(Locale.ROOT)))
                .setTimestamp(at)
                .setContextMessageId(item.path("context").path("id").asText(null))
                .setRawJson(item.toString())
                .build();
    }

    /**
     * A {@code calls} webhook item from the fixture, as ingress publishes it: a {@code value.calls[]} item (user
     * call {@code connect} / {@code terminate}) or a {@code value.statuses[]} item of a call the business placed
     * ({@code RINGING}, {@code ACCEPTED}, {@code REJECTED}).
     */
    public static CallEvent call(String fixture, Contact contact, String callId, Instant at) {
        JsonNode item = resource(fixture);
        boolean statusItem = item.path("event").isMissingNode();
        JsonNode status = item.path("status");
        return CallEvent.newBuilder()
                .setCallId(callId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contact.userId())
                .setUserId(contact.userId())
                .setWaId(contact.waId())
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

    public static ContactAlias alias(Contact contact) {
        return ContactAlias.newBuilder()
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setWaId(contact.waId())
                .setContactId(contact.userId())
                .setSeenAt(T0)
                .build();
    }

    private static JsonNode resource(String name) {
        try (InputStream in = MetaRecords.class.getResourceAsStream("/meta/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource meta/" + name);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
