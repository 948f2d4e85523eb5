package io.janela.survey.asking;

import io.janela.avro.ConversationResolution;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundContext;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.InboundReply;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PayloadType;
import io.janela.avro.ReplyKind;
import io.janela.avro.ResultKind;
import io.janela.avro.SurveyEvent;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.contract.JanelaTopics;
import io.janela.serde.SpecificAvroSerde;
import io.janela.streams.StreamsGuarantees;
import io.janela.survey.asking.avro.StoredSurveys;
import io.janela.testfixtures.TopologyFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** The survey topology in a TopologyTestDriver with a wall clock the test advances. */
final class SurveyDriver implements AutoCloseable {

    static final String NUMBER = "106540352242922";
    static final String USER = "US.13491208655302741918";
    static final String CONTACT = NUMBER + ":" + USER;

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Topology topology;
    final TopologyTestDriver driver;
    final TestInputTopic<String, ConversationResolution> resolutions;
    final TestInputTopic<String, InboundMessage> inbound;
    final TestInputTopic<String, DispatchResult> results;
    final TestInputTopic<String, WindowEvent> windows;
    final TestOutputTopic<String, SurveyEvent> events;
    final TestOutputTopic<String, OutboundRequest> requests;
    final TestOutputTopic<byte[], byte[]> deadLetters;
    private final TopologyFixture fixture;
    private Instant now;

    static SurveyDriver start(SurveySettings settings, Instant start) {
        return new SurveyDriver(settings, start, TopologyFixture.create("janela-survey-test"));
    }

    private SurveyDriver(SurveySettings settings, Instant start, TopologyFixture fixture) {
        this.fixture = fixture;
        this.now = start;
        JanelaTopics topics = fixture.topics();
        Properties properties = fixture.properties();
        StreamsGuarantees.exactlyOnceWithDeadLetters(
                properties, topics.surveyDeadLetter().name());
        topology = SurveyTopology.build(
                topics,
                SpecificAvroSerde.forValues(StoredSurveys.class, fixture.serdeConfig()),
                settings,
                new SurveyMetrics(meters));
        driver = fixture.start(topology, start);
        resolutions = fixture.input(topics.conversationResolutions());
        inbound = fixture.input(topics.inboundMessages());
        results = fixture.input(topics.dispatchResults());
        windows = fixture.input(topics.windowEvents());
        events = fixture.output(topics.surveyEvents());
        requests = fixture.output(topics.outboundRequests());
        deadLetters = fixture.output(topics.surveyDeadLetter());
    }

    static ConversationResolution resolution(String id, Instant at, String reference) {
        return ConversationResolution.newBuilder()
                .setResolutionId(id)
                .setPhoneNumberId(NUMBER)
                .setRecipientUserId(USER)
                .setRecipientPhoneNumber("+16505551234")
                .setResolvedAt(at)
                .setTeam("support")
                .setAgentId("agent-7")
                .setReference(reference)
                .setLanguage("en")
                .build();
    }

    void resolve(ConversationResolution resolution) {
        resolutions.pipeInput("any-key", resolution, resolution.getResolvedAt().toEpochMilli());
    }

    void advance(Duration duration) {
        now = now.plus(duration);
        driver.advanceWallClockTime(duration);
    }

    /** The driver's wall clock. */
    Instant now() {
        return now;
    }

    /** Dispatch sent the request: as the list (IN_WINDOW) or as the fallback template. */
    void dispatchSent(OutboundRequest request, String wamid, Instant at, boolean template) {
        results.pipeInput(
                CONTACT,
                result(request, DispatchOutcome.SENT, null, at)
                        .setWamid(wamid)
                        .setSentAt(at)
                        .setFallbackUsed(template)
                        .setPayloadType(template ? PayloadType.TEMPLATE : PayloadType.INTERACTIVE)
                        .build());
    }

    void dispatchRefused(OutboundRequest request, DispatchReason reason, Instant at) {
        results.pipeInput(
                CONTACT, result(request, DispatchOutcome.REJECTED, reason, at).build());
    }

    private static DispatchResult.Builder result(
            OutboundRequest request, DispatchOutcome outcome, DispatchReason reason, Instant at) {
        return DispatchResult.newBuilder()
                .setRequestId(request.getRequestId())
                .setKind(ResultKind.OUTCOME)
                .setOutcome(outcome)
                .setReason(reason)
                .setPhoneNumberId(NUMBER)
                .setContactId(USER)
                .setRequestCreatedAt(request.getCreatedAt())
                .setDecidedAt(at)
                .setSurveyId(request.getSurveyId())
                .setTeam(request.getTeam())
                .setAgentId(request.getAgentId());
    }

    void customerTaps(String messageId, Instant at, String contextId, ReplyKind kind, String code) {
        InboundReply reply = InboundReply.newBuilder()
                .setKind(kind)
                .setId(kind == ReplyKind.TEMPLATE_BUTTON ? null : code)
                .setPayload(kind == ReplyKind.TEMPLATE_BUTTON ? code : null)
                .build();
        customer(message(
                        messageId,
                        at,
                        kind == ReplyKind.TEMPLATE_BUTTON ? InboundMessageType.BUTTON : InboundMessageType.INTERACTIVE)
                .setReply(reply)
                .setContext(InboundContext.newBuilder().setMessageId(contextId).build())
                .build());
    }

    void customerWrites(String messageId, Instant at, String text) {
        customer(message(messageId, at, InboundMessageType.TEXT).setText(text).build());
    }

    void customerReacts(String messageId, Instant at) {
        customer(message(messageId, at, InboundMessageType.REACTION).build());
    }

    private void customer(InboundMessage message) {
        inbound.pipeInput(CONTACT, message, message.getTimestamp().toEpochMilli());
    }

    private static InboundMessage.Builder message(String messageId, Instant at, InboundMessageType type) {
        return InboundMessage.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(NUMBER)
                .setContactId(USER)
                .setUserId(USER)
                .setTimestamp(at)
                .setType(type)
                .setRawJson("{}");
    }

    void window(WindowEventType type, Instant openedAt, Instant at, boolean businessReplied) {
        windows.pipeInput(
                CONTACT,
                WindowEvent.newBuilder()
                        .setEventId(CONTACT + ":" + type + ":" + openedAt.toEpochMilli())
                        .setType(type)
                        .setPhoneNumberId(NUMBER)
                        .setContactId(USER)
                        .setWaId("16505551234")
                        .setOccurredAt(at)
                        .setWindowOpenedAt(openedAt)
                        .setWindowExpiresAt(openedAt.plus(Duration.ofHours(24)))
                        .setBusinessReplied(businessReplied)
                        .build(),
                at.toEpochMilli());
    }

    @Override
    public void close() {
        fixture.close();
    }
}
