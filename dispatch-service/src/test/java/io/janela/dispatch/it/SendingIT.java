package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.namedParameter;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static io.janela.dispatch.it.RunningDispatch.contact;
import static io.janela.dispatch.it.RunningDispatch.requestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PayloadType;
import io.janela.avro.Recipient;
import io.janela.avro.ResultKind;
import io.janela.avro.TemplatePayload;
import io.janela.sandbox.control.LoggedRequest;
import io.janela.sandbox.faults.Fault;
import io.janela.testsupport.kafka.TopicReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dispatch-service end to end on a real broker against the Cloud API sandbox: decisions, sends, retries, the
 * fallback template, in-doubt sends, and bad input.
 */
class SendingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final RunningDispatch dispatch = RunningDispatch.scope("dispatch-sending-it")
            .waiting(TIMEOUT)
            .whenStarted(environment ->
                    environment.awaitCatalog(List.of("order_update", "we_miss_you", "paused_reminder"), TIMEOUT))
            .exposing("janela_dispatch_results_total");

    @AfterEach
    void resetLatency() {
        environment().sandbox().latency(Duration.ZERO, Duration.ZERO);
    }

    private static DispatchEnvironment environment() {
        return dispatch.environment();
    }

    @Test
    void sendsFreeTextInsideAnOpenWindowAndReportsMetasMessageId() {
        String contact = contact();
        environment().window(contact, Instant.now().minus(Duration.ofHours(1)));
        String requestId = requestId();
        environment()
                .request(
                        "k",
                        text(requestId, "hello")
                                .setRecipient(new Recipient(null, contact))
                                .build());

        DispatchResult result = dispatch.outcome(requestId);
        assertThat(result.getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(result.getContactId()).isEqualTo(contact);
        assertThat(result.getCategory()).isEqualTo(MessageCategory.SERVICE);
        assertThat(result.getAttempts()).isEqualTo(1);
        assertThat(dispatch.accepted(requestId)).singleElement().satisfies(request -> {
            assertThat(request.wamid()).isEqualTo(result.getWamid());
            assertThat(request.type()).isEqualTo("text");
        });
    }

    @Test
    void rejectsFreeTextOutsideTheWindowWhenThereIsNoFallback() {
        String contact = contact();
        environment().window(contact, Instant.now().minus(Duration.ofHours(30)));
        String requestId = requestId();
        environment()
                .request(
                        "k",
                        text(requestId, "hello")
                                .setRecipient(new Recipient(null, contact))
                                .build());

        DispatchResult result = dispatch.outcome(requestId);
        assertThat(result.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(result.getReason()).isEqualTo(DispatchReason.WINDOW_CLOSED);
        assertThat(dispatch.accepted(requestId)).isEmpty();
    }

    @Test
    void sendsTheFallbackTemplateOutsideTheWindow() {
        String contact = contact();
        String requestId = requestId();
        environment()
                .request(
                        "k",
                        text(requestId, "hello")
                                .setRecipient(new Recipient(null, contact))
                                .setFallbackTemplate(templatePayload("order_update", "Ana", "42")
                                        .build())
                                .build());

        DispatchResult result = dispatch.outcome(requestId);
        assertThat(result.getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(result.getFallbackUsed()).isTrue();
        assertThat(result.getPayloadType()).isEqualTo(PayloadType.TEMPLATE);
        assertThat(result.getTemplateName()).isEqualTo("order_update");
        assertThat(result.getCategory()).isEqualTo(MessageCategory.UTILITY);
        assertThat(dispatch.accepted(requestId))
                .singleElement()
                .satisfies(request -> assertThat(request.templateName()).isEqualTo("order_update"));
    }

    @Test
    void checksTemplatesAgainstTheCatalogSyncedFromTheGraphApi() {
        String contact = contact();
        String paused = requestId();
        String mismatch = requestId();
        String named = requestId();
        environment()
                .request(
                        "k",
                        template(
                                paused,
                                contact,
                                templatePayload("paused_reminder", "x").build()));
        environment()
                .request(
                        "k",
                        template(
                                mismatch,
                                contact,
                                templatePayload("order_update", "only one").build()));
        environment()
                .request(
                        "k",
                        template(
                                named,
                                contact,
                                templatePayload("we_miss_you")
                                        .setBodyParameters(List.of(namedParameter("first_name", "Ana")))
                                        .build()));

        assertThat(dispatch.outcome(paused).getReason()).isEqualTo(DispatchReason.TEMPLATE_NOT_APPROVED);
        assertThat(dispatch.outcome(mismatch).getReason()).isEqualTo(DispatchReason.TEMPLATE_PARAMETERS_MISMATCH);
        DispatchResult sent = dispatch.outcome(named);
        assertThat(sent.getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(sent.getCategory()).isEqualTo(MessageCategory.MARKETING);
        assertThat(sent.getEstimatedCost()).isNotNull();
    }

    @Test
    void retriesAThroughputRefusalAndWaitsOutThePairRateLimit() {
        double paceBefore = pace();
        String throttled = contact();
        String paired = contact();
        environment().window(throttled, Instant.now().minus(Duration.ofHours(1)));
        environment().window(paired, Instant.now().minus(Duration.ofHours(1)));
        environment().sandbox().inject(new Fault(null, throttled, 130429, null, Fault.Mode.SYNC, 1, null));
        environment().sandbox().inject(new Fault(null, paired, 131056, null, Fault.Mode.SYNC, 1, null));
        String first = requestId();
        String second = requestId();
        environment()
                .request(
                        "k",
                        text(first, "hi")
                                .setRecipient(new Recipient(null, throttled))
                                .build());
        environment()
                .request(
                        "k",
                        text(second, "hi")
                                .setRecipient(new Recipient(null, paired))
                                .build());

        for (String requestId : List.of(first, second)) {
            DispatchResult result = dispatch.outcome(requestId);
            assertThat(result.getOutcome()).isEqualTo(DispatchOutcome.SENT);
            assertThat(result.getAttempts()).isEqualTo(2);
            assertThat(dispatch.accepted(requestId)).hasSize(1);
        }
        // Meta counted one call too many for the number: its pace went down a step (throughput-backoff).
        assertThat(pace()).isLessThan(paceBefore);
    }

    /** What the sender aims at for the business number (messages/s), as its gauge shows. */
    private static double pace() {
        Gauge gauge = environment()
                .app()
                .getBean(MeterRegistry.class)
                .find("janela.dispatch.throughput.rate")
                .tag("phone_number_id", PHONE_NUMBER_ID)
                .gauge();
        assertThat(gauge).as("the sender's rate gauge for the number").isNotNull();
        return gauge.value();
    }

    @Test
    void sendsTheFallbackWhenMetaReports131047AfterAcceptingTheFreeFormMessage() {
        String contact = contact();
        // The window state says open; Meta (the sandbox) knows no message from this user: it accepts, then fails.
        environment()
                .send(
                        environment().topics.windowState().name(),
                        PHONE_NUMBER_ID + ":" + contact,
                        io.janela.dispatch.Fixtures.openWindow(Instant.now().minus(Duration.ofHours(1)))
                                .setContactId(contact)
                                .build());
        String requestId = requestId();
        environment()
                .request(
                        "k",
                        text(requestId, "hello")
                                .setRecipient(new Recipient(null, contact))
                                .setFallbackTemplate(templatePayload("order_update", "Ana", "42")
                                        .build())
                                .build());

        List<DispatchResult> all = Records.await(
                dispatch.results(), result -> result.getRequestId().equals(requestId), 3, TIMEOUT);
        assertThat(all)
                .extracting(DispatchResult::getKind)
                .containsExactlyInAnyOrder(ResultKind.OUTCOME, ResultKind.DELIVERY_FAILED, ResultKind.FALLBACK_OUTCOME);
        DispatchResult failed = kind(all, ResultKind.DELIVERY_FAILED);
        assertThat(failed.getMetaErrorCode()).isEqualTo(131047);
        DispatchResult fallback = kind(all, ResultKind.FALLBACK_OUTCOME);
        assertThat(fallback.getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(fallback.getTemplateName()).isEqualTo("order_update");
        assertThat(dispatch.accepted(requestId)).extracting(LoggedRequest::type).containsExactly("text", "template");
    }

    @Test
    void doesNotSendAgainAMessageMetaAcceptedButDidNotAnswerInTime() {
        String contact = contact();
        environment().window(contact, Instant.now().minus(Duration.ofHours(1)));
        environment().sandbox().latency(Duration.ofSeconds(8), Duration.ZERO); // past the 5 s response timeout
        String requestId = requestId();
        environment()
                .request(
                        "k",
                        text(requestId, "hello")
                                .setRecipient(new Recipient(null, contact))
                                .build());

        DispatchResult result = dispatch.outcome(requestId);
        assertThat(result.getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(dispatch.accepted(requestId))
                .singleElement()
                .satisfies(request -> assertThat(request.wamid()).isEqualTo(result.getWamid()));
    }

    @Test
    void sendsAgainAnUnansweredMessageOnlyOnceLaterSendsOfItsNumberWereConfirmedWithoutIt() {
        String contact = contact();
        environment().window(contact, Instant.now().minus(Duration.ofHours(1)));
        environment().sandbox().inject(new Fault(null, contact, null, null, Fault.Mode.TIMEOUT, 1, null));
        String requestId = requestId();
        environment()
                .request(
                        "k",
                        text(requestId, "hello")
                                .setRecipient(new Recipient(null, contact))
                                .build());
        Instant attempted = await().atMost(TIMEOUT)
                .until(
                        () -> environment().sandbox().requests().stream()
                                .filter(request -> requestId.equals(request.callbackData()))
                                .map(LoggedRequest::receivedAt)
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();

        // Silence is no evidence: the send stays in doubt until a send of its number made later than the evidence
        // margin (1 s here; Meta's status times are whole seconds) has its status webhook.
        String laterContact = contact();
        environment().window(laterContact, Instant.now().minus(Duration.ofHours(1)));
        await().atMost(TIMEOUT).until(() -> Instant.now().isAfter(attempted.plusSeconds(2)));
        String laterRequestId = requestId();
        environment()
                .request(
                        "k",
                        text(laterRequestId, "hello")
                                .setRecipient(new Recipient(null, laterContact))
                                .build());

        assertThat(dispatch.outcome(laterRequestId).getOutcome()).isEqualTo(DispatchOutcome.SENT);
        DispatchResult result = dispatch.outcome(requestId);
        assertThat(result.getOutcome()).isEqualTo(DispatchOutcome.SENT);
        assertThat(result.getAttempts()).isEqualTo(2);
        assertThat(dispatch.accepted(requestId)).hasSize(1);
    }

    @Test
    void deadLettersInvalidAndUndecodableRequestsAndAnswersTheOnesItCanName() {
        String requestId = requestId();
        try (TopicReader<byte[], byte[]> deadLetters = environment().deadLetters()) {
            environment().request("k", text(requestId, "x".repeat(4_097)).build());
            environment()
                    .send(
                            environment().topics.outboundRequests().name(),
                            "k",
                            "not avro".getBytes(StandardCharsets.UTF_8));

            DispatchResult result = dispatch.outcome(requestId);
            assertThat(result.getReason()).isEqualTo(DispatchReason.INVALID_REQUEST);
            assertThat(deadLetters.awaitRecords(2, TIMEOUT)).hasSizeGreaterThanOrEqualTo(2);
        }
    }

    private static DispatchResult kind(List<DispatchResult> results, ResultKind kind) {
        return results.stream()
                .filter(result -> result.getKind() == kind)
                .findFirst()
                .orElseThrow();
    }

    private static OutboundRequest template(String requestId, String contact, TemplatePayload template) {
        return text(requestId, "x")
                .setRecipient(new Recipient(null, contact))
                .setPayload(template)
                .build();
    }
}
