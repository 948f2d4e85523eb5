package io.janela.dispatch.correlation;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.USER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.catalogEntry;
import static io.janela.dispatch.Fixtures.openWindow;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.ResultKind;
import io.janela.avro.SendCommand;
import io.janela.avro.SendKind;
import io.janela.avro.TemplateCategory;
import io.janela.dispatch.DispatchTopology;
import io.janela.dispatch.TopologyHarness;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CorrelationTopologyTest {

    private static final String CONTACT = PHONE_NUMBER_ID + ":" + USER_ID;

    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(
                "correlation-topology-test", (topics, settings, config) -> DispatchTopology.build(settings, 3, config));
        harness.templates.pipeInput(
                WABA_ID + ":reengage:en_US",
                catalogEntry("reengage", TemplateCategory.UTILITY, 1).build());
        harness.windows.pipeInput(
                CONTACT, openWindow(NOW.minus(Duration.ofHours(1))).build());
    }

    @AfterEach
    void stop() {
        harness.closeDrained();
    }

    @Test
    void sendsTheFallbackTemplateOnceWhenMetaReports131047ForTheFreeFormMessage() {
        harness.requests.pipeInput(
                "k",
                text("r-1", "hello")
                        .setFallbackTemplate(templatePayload("reengage", "Ana").build())
                        .build());
        SendCommand primary = harness.commands.readValue();
        assertThat(primary.getFallback()).isNotNull();

        MessageStatus failed = failed("wamid.1", "r-1", 131047);
        harness.statuses.pipeInput(CONTACT, failed);
        harness.statuses.pipeInput(CONTACT, failed); // Meta repeats webhooks

        DispatchResult deliveryFailed = harness.results.readValue();
        assertThat(deliveryFailed.getKind()).isEqualTo(ResultKind.DELIVERY_FAILED);
        assertThat(deliveryFailed.getOutcome()).isEqualTo(DispatchOutcome.FAILED);
        assertThat(deliveryFailed.getReason()).isEqualTo(DispatchReason.META_ERROR);
        assertThat(deliveryFailed.getMetaErrorCode()).isEqualTo(131047);
        assertThat(deliveryFailed.getWamid()).isEqualTo("wamid.1");
        assertThat(deliveryFailed.getStatusAt()).isEqualTo(failed.getTimestamp());

        TestRecord<String, SendCommand> fallback = harness.commands.readRecord();
        assertThat(fallback.key()).isEqualTo(CONTACT);
        assertThat(fallback.value().getKind()).isEqualTo(SendKind.FALLBACK);
        assertThat(fallback.value().getRequestId()).isEqualTo("r-1");
        assertThat(fallback.value().getPrimary().getFallbackTemplate()).isTrue();
        assertThat(fallback.value().getFallback()).isNull();
        assertThat(fallback.value().getPrimaryWamid())
                .as("the refused message's statuses are not the fallback's")
                .isEqualTo("wamid.1");
    }

    @Test
    void aFailedFallbackIsReportedButNotFallenBackAgain() {
        harness.requests.pipeInput(
                "k",
                text("r-1", "hello")
                        .setFallbackTemplate(templatePayload("reengage", "Ana").build())
                        .build());
        harness.commands.readValue();
        harness.statuses.pipeInput(CONTACT, failed("wamid.1", "r-1", 131047));
        harness.results.readValue();
        harness.commands.readValue();

        harness.statuses.pipeInput(CONTACT, failed("wamid.2", "r-1", 131047));

        assertThat(harness.results.readValue().getWamid()).isEqualTo("wamid.2");
    }

    @Test
    void recordsOtherFailuresAsDeliveryFailedOnly() {
        harness.requests.pipeInput("k", text("r-1", "hello").build());
        harness.commands.readValue();

        harness.statuses.pipeInput(CONTACT, failed("wamid.1", "r-1", 131026));

        DispatchResult result = harness.results.readValue();
        assertThat(result.getMetaErrorCode()).isEqualTo(131026);
        assertThat(result.getRequestId()).isEqualTo("r-1");
    }

    @Test
    void reportsAPerUserMarketingLimitFailureAsMarketingUserLimitHeldForADayFromMetasTime() {
        harness.requests.pipeInput("k", text("r-1", "hello").build());
        harness.commands.readValue();

        MessageStatus failed = failed("wamid.1", "r-1", 131049);
        harness.statuses.pipeInput(CONTACT, failed);

        DispatchResult result = harness.results.readValue();
        assertThat(result.getKind()).isEqualTo(ResultKind.DELIVERY_FAILED);
        assertThat(result.getReason()).isEqualTo(DispatchReason.MARKETING_USER_LIMIT);
        assertThat(result.getMetaErrorCode()).isEqualTo(131049);
        assertThat(result.getRetryAfter()).isEqualTo(failed.getTimestamp().plus(Duration.ofHours(24)));
    }

    @Test
    void ignoresStatusesThatAreNotFailuresOrCarryNoCallback() {
        harness.statuses.pipeInput(
                CONTACT,
                MessageStatus.newBuilder(failed("wamid.1", "r-1", 131026))
                        .setStatus(DeliveryStatus.READ)
                        .build());
        harness.statuses.pipeInput(
                CONTACT,
                MessageStatus.newBuilder(failed("wamid.2", null, 131026))
                        .setBizOpaqueCallbackData(null)
                        .build());
        assertThat(harness.results.isEmpty()).isTrue();
    }

    private static MessageStatus failed(String wamid, String requestId, int code) {
        return MessageStatus.newBuilder()
                .setMessageId(wamid)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(USER_ID)
                .setStatus(DeliveryStatus.FAILED)
                .setTimestamp(NOW.plusSeconds(5))
                .setBizOpaqueCallbackData(requestId)
                .setErrors(List.of(new MetaError(code, "title", "title", "details")))
                .setRawJson("{}")
                .build();
    }
}
