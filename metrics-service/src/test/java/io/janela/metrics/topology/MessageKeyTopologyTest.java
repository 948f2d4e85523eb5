package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchResult;
import io.janela.avro.FailureStage;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageStatus;
import io.janela.avro.Origin;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import io.janela.avro.ResponderKind;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The message step keyed by message: a campaign template to a number that never wrote (no contact alias), its
 * dispatch result keyed by phone number and its statuses by the business-scoped user id Meta names, in either order.
 * TopologyTestDriver runs every topic as one partition, so here the records would meet even keyed by contact; what
 * this shows is that they reach the step under one key, the message's (so one partition, whatever the count:
 * {@code NeverSeenContactIT} runs it on three), and that the step's outputs name the contact by its user id.
 */
class MessageKeyTopologyTest {

    /** Someone the business never heard from: no alias links the phone number to the user id. */
    private static final MetaRecords.Contact CAIO = new MetaRecords.Contact("BR.66012345678901234567", "5521998765432");

    private static final Instant SENT = at(Duration.ofMinutes(10));
    private static final String WAMID = "wamid.campaign-1";
    private static final Pricing MARKETING = new Pricing(true, "PMP", PricingType.REGULAR, MessageCategory.MARKETING);

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void statusesBeforeTheResultKeyedByPhoneNumberMeetItAndShowMetasRecategorisation() {
        harness.pipe(status(DeliveryStatus.SENT, 0));
        harness.pipe(status(DeliveryStatus.DELIVERED, 2));
        harness.pipe(campaignResult(), CAIO.phoneKey());
        harness.pipe(status(DeliveryStatus.READ, 30));
        harness.settle();

        assertRecategorisedOnceUnderTheUserId();
        assertThat(harness.readRecords(harness.measurementTopics().messagesSent()))
                .singleElement()
                .satisfies(sent -> {
                    assertThat(sent.key()).isEqualTo(CAIO.key());
                    assertThat(sent.value().getContactId()).isEqualTo(CAIO.userId());
                    assertThat(sent.value().getResponderKind()).isEqualTo(ResponderKind.CAMPAIGN);
                });
        assertThat(harness.read(harness.measurementTopics().deliveryLatencies()))
                .singleElement()
                .satisfies(delivery -> {
                    assertThat(delivery.getContactId()).isEqualTo(CAIO.userId());
                    assertThat(delivery.getCategory()).isEqualTo(MessageCategory.MARKETING);
                    assertThat(delivery.getLatencyMillis()).isEqualTo(2_000);
                });
        assertThat(harness.read(harness.measurementTopics().readLatencies())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
        assertEveryRecordOfTheMessageCameKeyedByIt(3);
    }

    @Test
    void theResultKeyedByPhoneNumberBeforeItsStatusesKeyedByUserIdGivesOneMessageWhoseContactIsTheUserId() {
        harness.pipe(campaignResult(), CAIO.phoneKey());
        harness.pipe(status(DeliveryStatus.SENT, 0));
        harness.pipe(status(DeliveryStatus.DELIVERED, 2));
        harness.settle();

        assertRecategorisedOnceUnderTheUserId();
        // Sent at once, when only the phone number was known.
        assertThat(harness.readRecords(harness.measurementTopics().messagesSent()))
                .singleElement()
                .satisfies(sent -> assertThat(sent.key()).isEqualTo(CAIO.phoneKey()));
        assertThat(harness.readRecords(harness.measurementTopics().deliveryLatencies()))
                .singleElement()
                .satisfies(delivery -> {
                    assertThat(delivery.key()).isEqualTo(CAIO.key());
                    assertThat(delivery.value().getSentByJanela()).isTrue();
                });
        assertThat(harness.unreadMeasurements()).isEmpty();
        assertEveryRecordOfTheMessageCameKeyedByIt(2);
    }

    @Test
    void aFailedStatusKeyedByPhoneNumberWithoutAliasIsTheFailureOfTheCampaignItsOtherRecordsNamed() {
        harness.pipe(status(DeliveryStatus.SENT, 0));
        MessageStatus failed = MetaRecords.status(CAIO, WAMID, DeliveryStatus.FAILED, SENT.plusSeconds(60))
                .build();
        assertThat(MetaRecords.keyOf(failed)).isEqualTo(CAIO.phoneKey());
        harness.pipe(failed);
        harness.pipe(campaignResult(), CAIO.phoneKey());
        harness.settle();

        assertThat(harness.readRecords(harness.measurementTopics().failures()))
                .singleElement()
                .satisfies(failure -> {
                    assertThat(failure.key()).isEqualTo(CAIO.key());
                    assertThat(failure.value().getStage()).isEqualTo(FailureStage.DELIVERY);
                    assertThat(failure.value().getErrorCode()).isEqualTo(131049);
                    assertThat(failure.value().getCategory()).isEqualTo(MessageCategory.MARKETING);
                    assertThat(failure.value().getResponderKind()).isEqualTo(ResponderKind.CAMPAIGN);
                    assertThat(failure.value().getRequestId()).isEqualTo("request-campaign-1");
                });
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().messagesPriced())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
        assertEveryRecordOfTheMessageCameKeyedByIt(2);
    }

    @Test
    void aMessageSentOutsideJanelaReachesItsContactsConversationThroughTheKeyedByContactTopic() {
        harness.pipe(MetaRecords.customerMessage(CAIO, "wamid.caio-1", SENT.minusSeconds(40)));
        harness.pipe(MetaRecords.status(CAIO, "wamid.app-1", DeliveryStatus.SENT, SENT)
                .setBizOpaqueCallbackData(null)
                .build());
        harness.settle();

        assertThat(harness.readRecords(harness.measurementTopics().responseTimes()))
                .singleElement()
                .satisfies(response -> {
                    assertThat(response.key()).isEqualTo(CAIO.key());
                    assertThat(response.value().getResponderKind()).isEqualTo(ResponderKind.OUTSIDE_JANELA);
                    assertThat(response.value().getResponseTimeMillis()).isEqualTo(40_000);
                });
        assertThat(internalKeys("metrics-business-messages-by-contact")).containsExactly(CAIO.key());
    }

    @Test
    void aReplyWhoseResultTheMessageStepSawTooLateStillAnswersWithTheResultsResponderAndTime() {
        harness.pipe(MetaRecords.customerMessage(CAIO, "wamid.caio-1", SENT.minusSeconds(40)));
        harness.pipe(status(DeliveryStatus.SENT, 3)); // carries the request id: the result is awaited
        harness.settle(); // the message step gives up waiting: an unknown responder at the sent status's time
        assertThat(internalKeys("metrics-business-messages-by-contact")).containsExactly(CAIO.key());

        harness.pipe(MetaRecords.sent(CAIO, "request-agent-1", WAMID, Origin.AGENT, SENT)
                .setTeam("support")
                .build());
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .singleElement()
                .satisfies(response -> {
                    assertThat(response.getResponderKind()).isEqualTo(ResponderKind.AGENT);
                    assertThat(response.getResponseTimeMillis()).isEqualTo(40_000);
                });
        assertThat(internalKeys("metrics-business-messages-by-contact")).isEmpty();
    }

    private void assertRecategorisedOnceUnderTheUserId() {
        assertThat(harness.readRecords(harness.measurementTopics().messagesPriced()))
                .singleElement()
                .satisfies(priced -> {
                    assertThat(priced.key()).isEqualTo(CAIO.key());
                    assertThat(priced.value().getContactId()).isEqualTo(CAIO.userId());
                    assertThat(priced.value().getCategory()).isEqualTo(MessageCategory.MARKETING);
                    assertThat(priced.value().getPredictedCategory()).isEqualTo(MessageCategory.UTILITY);
                    assertThat(priced.value().getSentByJanela()).isTrue();
                });
    }

    /** The status and result records went to the message step keyed by the message, whatever key they came with. */
    private void assertEveryRecordOfTheMessageCameKeyedByIt(int statuses) {
        String messageKey = MetaRecords.PHONE_NUMBER_ID + ":" + WAMID;
        assertThat(internalKeys("metrics-statuses-by-message"))
                .hasSize(statuses)
                .containsOnly(messageKey);
        assertThat(internalKeys("metrics-dispatch-results-by-message")).containsExactly(messageKey);
    }

    /** The keys written to one of the topology's repartition topics, read once. */
    private List<String> internalKeys(String name) {
        return harness
                .driver()
                .createOutputTopic(
                        "metrics-service-" + name + "-repartition",
                        new StringDeserializer(),
                        new ByteArrayDeserializer())
                .readKeyValuesToList()
                .stream()
                .map(record -> record.key)
                .toList();
    }

    /** A campaign's utility template to Caio; dispatch found no contact for the number, so it names none. */
    private static DispatchResult campaignResult() {
        return MetaRecords.sentTemplate(CAIO, "request-campaign-1", WAMID, SENT)
                .setOrigin(Origin.CAMPAIGN)
                .setContactId(null)
                .build();
    }

    /** Caio's status as ingress keys it: by the user id Meta names (sent, delivered, read) carrying the request id. */
    private static MessageStatus status(DeliveryStatus kind, long secondsAfterSend) {
        return MetaRecords.status(CAIO, WAMID, kind, SENT.plusSeconds(secondsAfterSend))
                .setBizOpaqueCallbackData("request-campaign-1")
                .setPricing(kind == DeliveryStatus.READ ? null : MARKETING)
                .build();
    }
}
