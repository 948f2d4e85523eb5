package io.janela.dispatch.decision;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.USER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.WA_ID;
import static io.janela.dispatch.Fixtures.catalogEntry;
import static io.janela.dispatch.Fixtures.openWindow;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ContactAlias;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.PreferenceCategory;
import io.janela.avro.PreferenceValue;
import io.janela.avro.PricingType;
import io.janela.avro.Recipient;
import io.janela.avro.SendCommand;
import io.janela.avro.SendKind;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateStatus;
import io.janela.avro.UserPreference;
import io.janela.contract.DeadLetterHeaders;
import io.janela.dispatch.TopologyHarness;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecisionTopologyTest {

    private static final String CONTACT = PHONE_NUMBER_ID + ":" + USER_ID;

    private TopologyHarness harness;

    @BeforeEach
    void start() {
        harness = new TopologyHarness(
                "decision-topology-test", (topics, settings, config) -> DecisionTopology.build(settings, config));
    }

    @AfterEach
    void stop() {
        assertThat(harness.commands.isEmpty()).as("no more send commands").isTrue();
        assertThat(harness.results.isEmpty()).as("no more results").isTrue();
        assertThat(harness.deadLetters.isEmpty()).as("no more dead letters").isTrue();
        harness.close();
    }

    @Test
    void sendsFreeTextInsideAnOpenWindowKeyedByContact() {
        harness.windows.pipeInput(
                CONTACT, openWindow(NOW.minus(Duration.ofHours(1))).build());
        harness.requests.pipeInput("any-key", text("r-1", "hello").build());

        TestRecord<String, SendCommand> command = harness.commands.readRecord();
        assertThat(command.key()).isEqualTo(CONTACT);
        assertThat(command.value().getRequestId()).isEqualTo("r-1");
        assertThat(command.value().getKind()).isEqualTo(SendKind.PRIMARY);
        assertThat(command.value().getContactId()).isEqualTo(USER_ID);
        assertThat(command.value().getRecipientUserId()).isEqualTo(USER_ID);
        assertThat(command.value().getPrimary().getCategory()).isEqualTo(MessageCategory.SERVICE);
        assertThat(command.value().getPrimary().getPricingType()).isEqualTo(PricingType.REGULAR);
        assertThat(command.value().getPrimary().getEstimatedCost()).isNotNull();
        assertThat(command.value().getDecidedAt()).isEqualTo(NOW);
    }

    @Test
    void aReplyProducedBeforeTheWindowStateCaughtUpWaitsForTheWindowItsCustomersMessageOpened() {
        // The bot answers the customer's first message before the window-service has published the window.
        harness.requests.pipeInput("any-key", text("r-1", "Thanks for writing!").build());
        harness.advance(Duration.ofMillis(500));
        assertThat(harness.commands.isEmpty())
                .as("no send before the window state")
                .isTrue();
        assertThat(harness.results.isEmpty()).as("not rejected either").isTrue();

        harness.windows.pipeInput(CONTACT, openWindow(NOW).build());
        harness.advance(Duration.ofMillis(250));

        SendCommand command = harness.commands.readValue();
        assertThat(command.getRequestId()).isEqualTo("r-1");
        assertThat(command.getPrimary().getFallbackTemplate()).isFalse();
        assertThat(harness.meters
                        .counter("janela.dispatch.requests.parked", "waiting_for", "window")
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aTemplateRequestBeforeTheAccountsFirstSyncWaitsForTheCatalogAndIsSentOnceItIsFilled() {
        // A new system: the first template sync has not run, the catalog holds nothing of the business account.
        harness.requests.pipeInput(
                "k",
                text("r-1", "x").setPayload(templatePayload("order").build()).build());
        harness.requests.pipeInput(
                "k",
                text("r-2", "x").setPayload(templatePayload("order").build()).build());
        harness.advance(Duration.ofSeconds(30));
        assertThat(harness.commands.isEmpty())
                .as("not sent before the catalog knows the template")
                .isTrue();
        assertThat(harness.results.isEmpty())
                .as("not refused TEMPLATE_NOT_FOUND either")
                .isTrue();

        harness.templates.pipeInput(
                templateKey("order"),
                catalogEntry("order", TemplateCategory.UTILITY, 0).build());
        harness.advance(Duration.ofMillis(250));

        assertThat(harness.commands.readValuesToList())
                .extracting(SendCommand::getRequestId)
                .containsExactly("r-1", "r-2");
        assertThat(harness.meters
                        .counter("janela.dispatch.requests.parked", "waiting_for", "catalog")
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aTemplateRequestWaitsForAnEmptyCatalogOnlyUntilItsGraceRunsOutAndNotAtAllOnceTheAccountHasEntries() {
        harness.requests.pipeInput(
                "k",
                text("r-1", "x").setPayload(templatePayload("missing").build()).build());
        harness.advance(Duration.ofSeconds(59));
        assertThat(harness.results.isEmpty()).isTrue();

        harness.advance(Duration.ofSeconds(2));
        DispatchResult refused = harness.results.readValue();
        assertThat(refused.getRequestId()).isEqualTo("r-1");
        assertThat(refused.getReason()).isEqualTo(DispatchReason.TEMPLATE_NOT_FOUND);

        harness.templates.pipeInput(
                templateKey("order"),
                catalogEntry("order", TemplateCategory.UTILITY, 0).build());
        harness.requests.pipeInput(
                "k",
                text("r-2", "x").setPayload(templatePayload("missing").build()).build());
        assertThat(harness.results.readValue().getReason())
                .as("the account has entries: an unknown template is unknown")
                .isEqualTo(DispatchReason.TEMPLATE_NOT_FOUND);
    }

    @Test
    void aFreeFormRequestWithoutAWindowIsRejectedWindowClosedOnceItsGraceRunsOut() {
        harness.requests.pipeInput("any-key", text("r-1", "hello").build());
        harness.advance(Duration.ofSeconds(4));
        assertThat(harness.results.isEmpty()).isTrue();

        harness.advance(Duration.ofSeconds(2));

        DispatchResult result = harness.results.readValue();
        assertThat(result.getRequestId()).isEqualTo("r-1");
        assertThat(result.getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(result.getReason()).isEqualTo(DispatchReason.WINDOW_CLOSED);
        assertThat(result.getContactId()).isEqualTo(USER_ID);
    }

    @Test
    void laterRequestsOfAWaitingContactQueueBehindItAndGoInOrder() {
        harness.templates.pipeInput(
                templateKey("order"),
                catalogEntry("order", TemplateCategory.UTILITY, 0).build());
        harness.requests.pipeInput("k", text("r-1", "first").build());
        harness.requests.pipeInput(
                "k",
                text("r-2", "x").setPayload(templatePayload("order").build()).build());
        harness.advance(Duration.ofMillis(250));
        assertThat(harness.commands.isEmpty())
                .as("the template waits behind the free-form request")
                .isTrue();

        harness.windows.pipeInput(CONTACT, openWindow(NOW).build());
        harness.advance(Duration.ofMillis(250));

        assertThat(harness.commands.readValuesToList())
                .extracting(SendCommand::getRequestId)
                .containsExactly("r-1", "r-2");
    }

    @Test
    void sendsTheFallbackTemplateWhenTheWindowIsClosed() {
        harness.templates.pipeInput(
                templateKey("reengage"),
                catalogEntry("reengage", TemplateCategory.MARKETING, 1).build());
        harness.windows.pipeInput(
                CONTACT, openWindow(NOW.minus(Duration.ofHours(30))).build());
        harness.requests.pipeInput(
                "k",
                text("r-1", "hello")
                        .setFallbackTemplate(templatePayload("reengage", "Ana").build())
                        .build());
        harness.advance(Duration.ofSeconds(6));

        SendCommand command = harness.commands.readValue();
        assertThat(command.getPrimary().getFallbackTemplate()).isTrue();
        assertThat(command.getPrimary().getCategory()).isEqualTo(MessageCategory.MARKETING);
        assertThat(command.getFallback()).isNull();
    }

    @Test
    void answersARepeatedRequestIdDuplicateAndSendsOnce() {
        harness.windows.pipeInput(
                CONTACT, openWindow(NOW.minus(Duration.ofHours(1))).build());
        harness.requests.pipeInput("k", text("r-1", "hello").build());
        harness.requests.pipeInput("k", text("r-1", "hello").build());

        assertThat(harness.commands.readValuesToList()).hasSize(1);
        DispatchResult duplicate = harness.results.readValue();
        assertThat(duplicate.getOutcome()).isEqualTo(DispatchOutcome.DUPLICATE);
        assertThat(duplicate.getReason()).isEqualTo(DispatchReason.DUPLICATE_REQUEST);
    }

    @Test
    void answersAnExpiredRequestExpired() {
        harness.windows.pipeInput(
                CONTACT, openWindow(NOW.minus(Duration.ofHours(1))).build());
        harness.requests.pipeInput(
                "k", text("r-1", "hello").setExpiresAt(NOW.minusSeconds(1)).build());

        DispatchResult result = harness.results.readValue();
        assertThat(result.getOutcome()).isEqualTo(DispatchOutcome.EXPIRED);
        assertThat(result.getReason()).isEqualTo(DispatchReason.REQUEST_EXPIRED);
    }

    @Test
    void deadLettersAnInvalidRequestWithItsCauseAndAnswersItRejectedInvalidRequest() {
        OutboundRequest tooLong = text("r-1", "x".repeat(4_097)).build();
        harness.requests.pipeInput("producer-key", tooLong);

        TestRecord<byte[], byte[]> deadLetter = harness.deadLetters.readRecord();
        assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo("producer-key");
        assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("INVALID_REQUEST");
        assertThat(header(deadLetter, DeadLetterHeaders.CAUSE)).contains("longer than 4096");
        assertThat(header(deadLetter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("whatsapp.outbound-requests");
        assertThat(header(deadLetter, DeadLetterHeaders.CAUSE)).doesNotContain("xxxx");

        TestRecord<String, DispatchResult> result = harness.results.readRecord();
        assertThat(result.key()).isEqualTo(CONTACT);
        assertThat(result.value().getOutcome()).isEqualTo(DispatchOutcome.REJECTED);
        assertThat(result.value().getReason()).isEqualTo(DispatchReason.INVALID_REQUEST);
        assertThat(harness.meters
                        .counter("janela.dispatch.requests.invalid", "stage", "invalid")
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void rejectsARequestFromAnUnknownBusinessNumberAsInvalid() {
        harness.requests.pipeInput(
                "k", text("r-1", "hello").setPhoneNumberId("999").build());

        assertThat(header(harness.deadLetters.readRecord(), DeadLetterHeaders.CAUSE))
                .contains("unknown business phone number id 999");
        assertThat(harness.results.readValue().getReason()).isEqualTo(DispatchReason.INVALID_REQUEST);
    }

    @Test
    void deadLettersUndecodableBytesAndAnswersThemWhenTheRequestIdStillReads() {
        byte[] requestIdOnly = wireFormat("r-9", "106540352242922");
        harness.rawRequests.pipeInput("k".getBytes(StandardCharsets.UTF_8), requestIdOnly);

        TestRecord<byte[], byte[]> deadLetter = harness.deadLetters.readRecord();
        assertThat(deadLetter.value()).isEqualTo(requestIdOnly);
        assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE");
        DispatchResult result = harness.results.readValue();
        assertThat(result.getRequestId()).isEqualTo("r-9");
        assertThat(result.getPhoneNumberId()).isEqualTo("106540352242922");
        assertThat(result.getReason()).isEqualTo(DispatchReason.INVALID_REQUEST);

        harness.rawRequests.pipeInput(
                "k".getBytes(StandardCharsets.UTF_8), "{\"json\":true}".getBytes(StandardCharsets.UTF_8));
        assertThat(header(harness.deadLetters.readRecord(), DeadLetterHeaders.REASON))
                .isEqualTo("UNDECODABLE");
    }

    /**
     * The record timestamp of whatsapp.outbound-requests is the broker's append time, or on a topic created without
     * it whatever the company's producer set (a backlog replayed with its original times): nothing the intake writes
     * takes it, so a result or a dead letter is never dated before it was written (and deleted by retention early).
     */
    @Test
    void answersAnUndecodableRequestDatedTwoYearsAgoWithTheTimeItWasTakenIn() {
        Instant twoYearsAgo = NOW.minus(Duration.ofDays(730));
        harness.rawRequests.pipeInput(
                "k".getBytes(StandardCharsets.UTF_8), wireFormat("r-9", "106540352242922"), twoYearsAgo);

        assertThat(harness.deadLetters.readRecord().getRecordTime()).isEqualTo(NOW);
        TestRecord<String, DispatchResult> result = harness.results.readRecord();
        assertThat(result.value().getRequestId()).isEqualTo("r-9");
        assertThat(result.value().getRequestCreatedAt())
                .as("no createdAt can be read: the time dispatch took it in")
                .isEqualTo(NOW);
        assertThat(result.getRecordTime()).isEqualTo(NOW);
    }

    @Test
    void answersAnInvalidRequestDatedTwoYearsAgoWithItsCreatedAtAndTheTimeItWasTakenIn() {
        Instant createdAt = NOW.minus(Duration.ofMinutes(5));
        harness.requests.pipeInput(
                "k", text("r-1", "x".repeat(4_097)).setCreatedAt(createdAt).build(), NOW.minus(Duration.ofDays(730)));

        assertThat(harness.deadLetters.readRecord().getRecordTime()).isEqualTo(NOW);
        TestRecord<String, DispatchResult> result = harness.results.readRecord();
        assertThat(result.value().getReason()).isEqualTo(DispatchReason.INVALID_REQUEST);
        assertThat(result.value().getRequestCreatedAt()).isEqualTo(createdAt);
        assertThat(result.getRecordTime()).isEqualTo(NOW);
    }

    @Test
    void refusesTemplatesTheCatalogDoesNotAllow() {
        harness.templates.pipeInput(
                templateKey("paused"),
                catalogEntry("paused", TemplateCategory.UTILITY, 0)
                        .setStatus(TemplateStatus.PAUSED)
                        .build());
        harness.templates.pipeInput(
                templateKey("order"),
                catalogEntry("order", TemplateCategory.UTILITY, 2).build());
        harness.requests.pipeInput(
                "k",
                text("r-1", "x").setPayload(templatePayload("missing").build()).build());
        harness.requests.pipeInput(
                "k",
                text("r-2", "x").setPayload(templatePayload("paused").build()).build());
        harness.requests.pipeInput(
                "k",
                text("r-3", "x")
                        .setPayload(templatePayload("order", "1").build())
                        .build());

        assertThat(harness.results.readValuesToList())
                .extracting(DispatchResult::getReason)
                .containsExactly(
                        DispatchReason.TEMPLATE_NOT_FOUND,
                        DispatchReason.TEMPLATE_NOT_APPROVED,
                        DispatchReason.TEMPLATE_PARAMETERS_MISMATCH);
    }

    @Test
    void refusesMarketingToAContactWhoStoppedIt() {
        harness.templates.pipeInput(
                templateKey("promo"),
                catalogEntry("promo", TemplateCategory.MARKETING, 0).build());
        harness.preferences.pipeInput(
                CONTACT,
                UserPreference.newBuilder()
                        .setPhoneNumberId(PHONE_NUMBER_ID)
                        .setContactId(USER_ID)
                        .setCategory(PreferenceCategory.MARKETING_MESSAGES)
                        .setValue(PreferenceValue.STOP)
                        .setTimestamp(NOW.minusSeconds(60))
                        .setRawJson("{}")
                        .build());
        harness.requests.pipeInput(
                "k",
                text("r-1", "x").setPayload(templatePayload("promo").build()).build());

        assertThat(harness.results.readValue().getReason()).isEqualTo(DispatchReason.MARKETING_OPTED_OUT);
    }

    @Test
    void resolvesAPhoneNumberToItsContactThroughTheAliases() {
        harness.aliases.pipeInput(
                PHONE_NUMBER_ID + ":" + WA_ID, new ContactAlias(PHONE_NUMBER_ID, WA_ID, USER_ID, NOW));
        harness.windows.pipeInput(
                CONTACT, openWindow(NOW.minus(Duration.ofHours(1))).build());
        harness.requests.pipeInput(
                "k",
                text("r-1", "hello").setRecipient(new Recipient(PHONE, null)).build());

        TestRecord<String, SendCommand> command = harness.commands.readRecord();
        assertThat(command.key()).isEqualTo(CONTACT);
        assertThat(command.value().getTo()).isEqualTo(PHONE);
    }

    @Test
    void aReplyToAPhoneNumberWaitsForTheAliasAndTheWindowTheFirstMessageCreates() {
        harness.requests.pipeInput(
                "k",
                text("r-1", "hello").setRecipient(new Recipient(PHONE, null)).build());
        harness.advance(Duration.ofMillis(250));
        assertThat(harness.commands.isEmpty()).isTrue();

        harness.aliases.pipeInput(
                PHONE_NUMBER_ID + ":" + WA_ID, new ContactAlias(PHONE_NUMBER_ID, WA_ID, USER_ID, NOW));
        harness.windows.pipeInput(CONTACT, openWindow(NOW).build());
        harness.advance(Duration.ofMillis(250));
        harness.advance(Duration.ofMillis(250));

        TestRecord<String, SendCommand> command = harness.commands.readRecord();
        assertThat(command.key()).isEqualTo(CONTACT);
        assertThat(command.value().getContactId()).isEqualTo(USER_ID);
    }

    @Test
    void sendsATemplateToAnUnknownPhoneNumberAtOnceKeyedByTheNumber() {
        harness.templates.pipeInput(
                templateKey("order"),
                catalogEntry("order", TemplateCategory.UTILITY, 0).build());
        harness.requests.pipeInput(
                "k",
                text("r-1", "x")
                        .setRecipient(new Recipient(PHONE, null))
                        .setPayload(templatePayload("order").build())
                        .build());

        TestRecord<String, SendCommand> command = harness.commands.readRecord();
        assertThat(command.key()).isEqualTo(PHONE_NUMBER_ID + ":" + WA_ID);
        assertThat(command.value().getPrimary().getPricingType()).isEqualTo(PricingType.REGULAR);
    }

    private static String templateKey(String name) {
        return WABA_ID + ":" + name + ":en_US";
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** Bytes in the wire format whose first two Avro strings read, followed by garbage. */
    private static byte[] wireFormat(String requestId, String phoneNumberId) {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        buffer.put((byte) 0).putInt(424242);
        for (String value : new String[] {requestId, phoneNumberId}) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            buffer.put((byte) (bytes.length << 1)).put(bytes);
        }
        buffer.put((byte) 0xff).put((byte) 0xff);
        byte[] data = new byte[buffer.position()];
        buffer.flip().get(data);
        return data;
    }
}
