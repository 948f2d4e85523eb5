package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.BEN;
import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static io.janela.testfixtures.MetaRecords.customerMessage;
import static io.janela.testfixtures.MetaRecords.opened;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ConversationResolution;
import io.janela.avro.ResolutionMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Customers who come back: the gap since a returning contact's previous window (on the window opened), and whether a
 * resolution (whatsapp.conversation-resolutions) was reopened by a customer message within the reopen time (24 h by
 * default). The harness's wall clock starts at {@link MetaRecords#T0} plus one day ({@link #NOW}).
 */
class ReturningTopologyTest {

    private static final Instant NOW = MetaRecords.T0.plus(Duration.ofDays(1));

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aWindowOpenedByAReturningContactCarriesWhenTheirPreviousWindowClosedAndAFirstContactsDoesNot() {
        harness.pipe(customerMessage(ANA, "wamid.a1", NOW));
        harness.pipe(opened(ANA, NOW, "wamid.a1", false));
        harness.pipe(customerMessage(BEN, "wamid.b1", NOW));
        harness.pipe(opened(BEN, NOW, "wamid.b1", true));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .extracting(
                        WindowOpenedMeasurement::getContactId,
                        WindowOpenedMeasurement::getFirstContact,
                        WindowOpenedMeasurement::getPreviousWindowClosedAt)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ANA.userId(), false, NOW.minus(Duration.ofDays(3))),
                        org.assertj.core.groups.Tuple.tuple(BEN.userId(), true, null));
    }

    @Test
    void aCustomerMessageWithinTheReopenTimeAfterAResolutionReopensItOnce() {
        Instant resolvedAt = NOW.minus(Duration.ofHours(2));
        harness.pipe(resolution("resolution-1", resolvedAt).build());
        harness.pipe(resolution("resolution-1", resolvedAt).build());
        Instant back = NOW.minus(Duration.ofMinutes(10));
        harness.pipe(customerMessage(ANA, "wamid.again", back));
        harness.pipe(customerMessage(ANA, "wamid.again-2", back.plusSeconds(60)));
        harness.settle();

        assertThat(harness.readRecords(harness.measurementTopics().resolutions()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.key()).isEqualTo(ANA.key());
                    ResolutionMeasurement measured = record.value();
                    assertThat(measured.getReopened()).isTrue();
                    assertThat(measured.getReopenedAt()).isEqualTo(back);
                    assertThat(measured.getReopeningMessageId()).isEqualTo("wamid.again");
                    assertThat(measured.getOccurredAt()).isEqualTo(back);
                    assertThat(measured.getResolvedAt()).isEqualTo(resolvedAt);
                    assertThat(measured.getTeam()).isEqualTo("support");
                    assertThat(measured.getResolutionId()).isEqualTo("resolution-1");
                    assertThat(measured.getReopenWithinMillis())
                            .isEqualTo(Duration.ofHours(24).toMillis());
                    assertThat(measured.getMeasurementId())
                            .isEqualTo(ANA.key() + ":resolution:" + resolvedAt.toEpochMilli());
                });
        assertThat(harness.counter("janela.inputs.duplicates", "input", "conversation_resolution"))
                .isEqualTo(1);

        harness.advance(Duration.ofDays(2));
        assertThat(harness.read(harness.measurementTopics().resolutions())).isEmpty();
    }

    @Test
    void aResolutionWithoutACustomerMessageWithinTheReopenTimeHeldOnceTheTimeHasPassed() {
        harness.pipe(resolution("resolution-1", NOW).build());
        harness.pipe(customerMessage(ANA, "wamid.before", NOW.minusSeconds(60)));
        harness.settle();
        assertThat(harness.read(harness.measurementTopics().resolutions()))
                .as("the customer may still come back")
                .isEmpty();

        harness.advance(Duration.ofHours(24).minus(TopologyHarness.SETTLE.plusSeconds(1)));
        assertThat(harness.read(harness.measurementTopics().resolutions()))
                .as("the reopen time has just passed: it waits a settle delay more")
                .isEmpty();
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().resolutions()))
                .singleElement()
                .satisfies(measured -> {
                    assertThat(measured.getReopened()).isFalse();
                    assertThat(measured.getReopenedAt()).isNull();
                    assertThat(measured.getOccurredAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
                });
    }

    @Test
    void aReopeningMessageArrivingWithinTheSettleDelayAfterABackloggedResolutionStillReopensIt() {
        Instant resolvedAt = NOW.minus(Duration.ofHours(30));
        harness.pipe(customerMessage(ANA, "wamid.before", resolvedAt.minus(Duration.ofMinutes(5))));
        harness.advance(Duration.ofSeconds(20));
        // Its reopen time is long past, and a settle check is already due in 10 s (the message's).
        harness.pipe(resolution("resolution-1", resolvedAt).build());
        harness.advance(Duration.ofSeconds(15));
        assertThat(harness.read(harness.measurementTopics().resolutions()))
                .as("the resolution waits a settle delay after its own arrival")
                .isEmpty();
        harness.pipe(customerMessage(ANA, "wamid.back", resolvedAt.plus(Duration.ofHours(1))));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().resolutions()))
                .singleElement()
                .satisfies(measured -> {
                    assertThat(measured.getReopened()).isTrue();
                    assertThat(measured.getReopeningMessageId()).isEqualTo("wamid.back");
                });
    }

    @Test
    void aCustomerMessageAfterTheReopenTimeOrASurveyTapDoesNotReopen() {
        Instant resolvedAt = NOW.minus(Duration.ofHours(30));
        harness.pipe(resolution("resolution-1", resolvedAt).build());
        harness.pipe(MetaRecords.surveyTap(ANA, "wamid.tap", resolvedAt.plus(Duration.ofMinutes(5)), "s1", 5));
        harness.pipe(customerMessage(ANA, "wamid.later", resolvedAt.plus(Duration.ofHours(25))));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().resolutions()))
                .singleElement()
                .satisfies(measured -> assertThat(measured.getReopened()).isFalse());
    }

    @Test
    void aResolutionNamingTheCustomerByPhoneNumberFindsTheContactThroughItsAlias() {
        harness.pipe(MetaRecords.alias(ANA));
        Instant resolvedAt = NOW.minus(Duration.ofHours(1));
        harness.pipe(resolution("resolution-1", resolvedAt)
                .setRecipientUserId(null)
                .setRecipientPhoneNumber("+" + ANA.waId())
                .build());
        harness.pipe(customerMessage(ANA, "wamid.again", NOW.minusSeconds(30)));
        harness.settle();

        assertThat(harness.readRecords(harness.measurementTopics().resolutions()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.key()).isEqualTo(ANA.key());
                    assertThat(record.value().getReopened()).isTrue();
                });
    }

    private static ConversationResolution.Builder resolution(String id, Instant resolvedAt) {
        return ConversationResolution.newBuilder()
                .setResolutionId(id)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setRecipientUserId(ANA.userId())
                .setResolvedAt(resolvedAt)
                .setAgentId("agent-7")
                .setTeam("support");
    }
}
