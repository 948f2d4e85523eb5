package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.at;
import static io.janela.testfixtures.MetaRecords.closed;
import static io.janela.testfixtures.MetaRecords.customerMessage;
import static io.janela.testfixtures.MetaRecords.opened;
import static io.janela.testfixtures.MetaRecords.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.janela.avro.InboundMessageType;
import io.janela.avro.Origin;
import io.janela.avro.ResponderKind;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.SlaEventKind;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConversationTopologyTest {

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aBotReplyGivesOneResponseTimeOneFirstResponseAndTheWindowOpenedAndClosedReplied() {
        Instant openedAt = at(Duration.ZERO);
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(opened(openedAt, "wamid.c1", true));
        harness.pipe(sent("request-1", "wamid.b1", Origin.BOT, at(Duration.ofSeconds(42)))
                .build());
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .singleElement()
                .satisfies(opened -> {
                    assertThat(opened.getFirstContact()).isTrue();
                    assertThat(opened.getOccurredAt()).isEqualTo(openedAt);
                });
        assertThat(harness.readRecords(harness.measurementTopics().responseTimes()))
                .singleElement()
                .satisfies(record -> {
                    assertThat(record.key()).isEqualTo(MetaRecords.CONTACT_KEY);
                    assertThat(record.timestamp())
                            .as("the time it was written: the harness's wall clock (T0 + 1 day) after the settle")
                            .isEqualTo(MetaRecords.T0
                                    .plus(Duration.ofDays(1))
                                    .plus(TopologyHarness.SETTLE)
                                    .plusSeconds(1)
                                    .toEpochMilli());
                    ResponseTimeMeasurement response = record.value();
                    assertThat(response.getResponseTimeMillis()).isEqualTo(42_000);
                    assertThat(response.getResponderKind()).isEqualTo(ResponderKind.BOT);
                    assertThat(response.getCustomerMessageId()).isEqualTo("wamid.c1");
                    assertThat(response.getBusinessMessageId()).isEqualTo("wamid.b1");
                    assertThat(response.getWindowOpenedAt()).isEqualTo(openedAt);
                });
        assertThat(harness.read(harness.measurementTopics().firstResponses()))
                .singleElement()
                .satisfies(first -> {
                    assertThat(first.getFirstResponseTimeMillis()).isEqualTo(42_000);
                    assertThat(first.getHeadroomMillis())
                            .isEqualTo(MetaRecords.WINDOW.minusSeconds(42).toMillis());
                });
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);

        harness.pipe(closed(openedAt, openedAt.plus(MetaRecords.WINDOW), true));
        harness.settle();
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .singleElement()
                .satisfies(closed -> {
                    assertThat(closed.getBusinessReplied()).isTrue();
                    assertThat(closed.getCustomerWaitingSince()).isNull();
                });
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void theTeamTheAnsweringRequestNamedIsOnItsResponseAndFirstResponseAndNoneOnAnAnswerWithoutOne() {
        Instant openedAt = at(Duration.ZERO);
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(opened(openedAt, "wamid.c1", true));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, at(Duration.ofSeconds(42)))
                .setTeam("support")
                .setAgentId("agent-7")
                .build());
        harness.pipe(customerMessage("wamid.c2", at(Duration.ofMinutes(5))));
        harness.pipe(sent("request-2", "wamid.b2", Origin.BOT, at(Duration.ofMinutes(6)))
                .build());
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .extracting(ResponseTimeMeasurement::getBusinessMessageId, ResponseTimeMeasurement::getTeam)
                .containsExactly(tuple("wamid.b1", "support"), tuple("wamid.b2", null));
        assertThat(harness.read(harness.measurementTopics().firstResponses()))
                .singleElement()
                .satisfies(first -> assertThat(first.getTeam()).isEqualTo("support"));
        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(2);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void measurementsWaitForTheSettleDelaySoThatALateCustomerMessageStillCounts() {
        harness.pipe(customerMessage("wamid.c2", at(Duration.ofSeconds(10))));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, at(Duration.ofSeconds(30)))
                .build());
        harness.advance(Duration.ofSeconds(5));
        assertThat(harness.read(harness.measurementTopics().responseTimes())).isEmpty();

        harness.pipe(customerMessage("wamid.c1", at(Duration.ZERO)));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .singleElement()
                .satisfies(response -> {
                    assertThat(response.getResponseTimeMillis()).isEqualTo(30_000);
                    assertThat(response.getCustomerMessages()).isEqualTo(2);
                });
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aCustomerMessageLaterThanTheSettleDelayIsCountedLateAndChangesNothing() {
        harness.pipe(customerMessage("wamid.c2", at(Duration.ofSeconds(10))));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, at(Duration.ofSeconds(30)))
                .build());
        harness.settle();
        assertThat(harness.read(harness.measurementTopics().responseTimes())).hasSize(1);

        harness.pipe(customerMessage("wamid.c1", at(Duration.ZERO)));
        harness.settle();

        assertThat(harness.counter(StreamsMeters.LATE_MEASUREMENTS, "measurement", "response_time"))
                .isEqualTo(1);
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aDuplicatedWebhookCountsOnce() {
        harness.pipe(customerMessage("wamid.c1", at(Duration.ZERO)));
        harness.pipe(customerMessage("wamid.c1", at(Duration.ZERO)));
        harness.pipe(opened(at(Duration.ZERO), "wamid.c1", false));
        harness.pipe(opened(at(Duration.ZERO), "wamid.c1", false));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(1);
        assertThat(harness.counter(StreamsMeters.DUPLICATES, "input", "inbound_message"))
                .isEqualTo(1);
        assertThat(harness.counter(StreamsMeters.DUPLICATES, "input", "window_event"))
                .isEqualTo(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aReactionWaitsForNoAnswer() {
        harness.pipe(MetaRecords.inbound(ANA, "wamid.r1", at(Duration.ZERO), InboundMessageType.REACTION));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, at(Duration.ofSeconds(30)))
                .build());
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes())).isEmpty();
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aSurveyTapAfterTheReplyStartsNoClockAndLeavesNobodyWaitingWhenTheWindowCloses() {
        Instant openedAt = at(Duration.ZERO);
        Instant tappedAt = at(Duration.ofSeconds(90));
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(opened(openedAt, "wamid.c1", false));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, at(Duration.ofSeconds(30)))
                .build());
        harness.pipe(sent("survey:s1", "wamid.survey", Origin.SYSTEM, at(Duration.ofSeconds(60)))
                .build());
        harness.pipe(MetaRecords.surveyTap(ANA, "wamid.tap", tappedAt, "s1", 5));
        harness.pipe(closed(openedAt, tappedAt.plus(MetaRecords.WINDOW), true));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .singleElement()
                .satisfies(closed -> {
                    assertThat(closed.getBusinessReplied()).isTrue();
                    assertThat(closed.getCustomerWaitingSince()).isNull();
                });
    }

    @Test
    void aWindowThatExpiredWithoutAReplyClosedWhileTheCustomerWaited() {
        Instant openedAt = at(Duration.ZERO);
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(customerMessage("wamid.c2", openedAt.plusSeconds(60)));
        harness.pipe(opened(openedAt, "wamid.c1", false));
        harness.pipe(closed(openedAt, openedAt.plusSeconds(60).plus(MetaRecords.WINDOW), false));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened()))
                .singleElement()
                .satisfies(opened -> assertThat(opened.getFirstContact()).isFalse());
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .singleElement()
                .satisfies(closed -> {
                    assertThat(closed.getBusinessReplied()).isFalse();
                    assertThat(closed.getFirstResponseAt()).isNull();
                    assertThat(closed.getCustomerWaitingSince()).isEqualTo(openedAt);
                    assertThat(closed.getOccurredAt())
                            .isEqualTo(openedAt.plusSeconds(60).plus(MetaRecords.WINDOW));
                });
        assertThat(harness.read(harness.topics().slaEvents()))
                .as("the SLA notice for agent desks (SlaEventTopologyTest)")
                .singleElement()
                .satisfies(notice -> assertThat(notice.getKind()).isEqualTo(SlaEventKind.WINDOW_CLOSING_WAITING));
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aWindowKnownOnlyFromItsClosedEventTakesItsLengthFromTheEventsLastCustomerMessage() {
        Instant openedAt = at(Duration.ZERO);
        Instant lastInbound = openedAt.plus(Duration.ofHours(3));
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, at(Duration.ofHours(1)))
                .build());
        // No OPENED event; the CLOSED event comes before the message that last refreshed the window.
        harness.pipe(closed(openedAt, lastInbound.plus(MetaRecords.WINDOW), true));
        harness.pipe(customerMessage("wamid.c2", lastInbound));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().firstResponses()))
                .singleElement()
                .satisfies(first -> {
                    assertThat(first.getWindowExpiresAt()).isEqualTo(openedAt.plus(MetaRecords.WINDOW));
                    assertThat(first.getHeadroomMillis())
                            .isEqualTo(Duration.ofHours(23).toMillis());
                });
        assertThat(harness.read(harness.measurementTopics().responseTimes())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().windowsClosed())).hasSize(1);
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    /**
     * A backlog: records whose event times lie days apart reach the topology together (the service catching up after
     * an outage, a first start over the retained input topics, webhooks Meta retried for days). Event time defines
     * every measurement, so the result must be the one of the same records arriving live.
     */
    @Test
    void aResponseOfABacklogIsMeasuredWhenALaterMessageOfTheBacklogLiesBeyondTheTimelineHorizon() {
        harness.pipe(customerMessage("wamid.c1", at(Duration.ZERO)));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, at(Duration.ofSeconds(10)))
                .build());
        // Two days and an hour later the customer writes again; in the backlog it arrives within the settle delay.
        harness.pipe(customerMessage("wamid.c2", at(Duration.ofHours(49))));
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .as("the agent's answer 10 s after the customer wrote, as measured when the records come live")
                .singleElement()
                .satisfies(response -> {
                    assertThat(response.getBusinessMessageId()).isEqualTo("wamid.b1");
                    assertThat(response.getResponseTimeMillis()).isEqualTo(10_000);
                });
        assertThat(harness.counter(StreamsMeters.LATE_MEASUREMENTS, "measurement", "response_time"))
                .isZero();
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(1);
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aBacklogOfMoreWindowsThanAContactKeepsLosesNoMeasurement() {
        int days = 20;
        for (int day = 0; day < days; day++) {
            Instant openedAt = at(Duration.ofDays(day));
            harness.pipe(customerMessage("wamid.c" + day, openedAt));
            harness.pipe(opened(openedAt, "wamid.c" + day, day == 0));
            harness.pipe(sent("request-" + day, "wamid.b" + day, Origin.AGENT, openedAt.plusSeconds(60))
                    .build());
            harness.pipe(closed(openedAt, openedAt.plus(MetaRecords.WINDOW), true));
        }
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().windowsOpened())).hasSize(days);
        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .hasSize(days)
                .allSatisfy(
                        response -> assertThat(response.getResponseTimeMillis()).isEqualTo(60_000));
        assertThat(harness.read(harness.measurementTopics().firstResponses()))
                .hasSize(days)
                .allSatisfy(first -> assertThat(first.getHeadroomMillis())
                        .isEqualTo(MetaRecords.WINDOW.minusSeconds(60).toMillis()));
        assertThat(harness.read(harness.measurementTopics().windowsClosed()))
                .hasSize(days)
                .allSatisfy(closed -> assertThat(closed.getBusinessReplied()).isTrue());
        assertThat(harness.read(harness.measurementTopics().messagesSent())).hasSize(days);
        assertThat(harness.meters().find(StreamsMeters.LATE_MEASUREMENTS).counters())
                .allSatisfy(late -> assertThat(late.count()).isZero());
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aConversationUnchangedForTheRetentionPeriodIsDropped() {
        harness.pipe(customerMessage("wamid.c1", at(Duration.ZERO)));
        harness.settle();
        assertThat(harness.driver().getKeyValueStore("metrics-conversations").get(MetaRecords.CONTACT_KEY))
                .isNotNull();

        harness.advance(Duration.ofDays(8).plusMinutes(1));

        assertThat(harness.driver().getKeyValueStore("metrics-conversations").get(MetaRecords.CONTACT_KEY))
                .isNull();
        assertThat(harness.unreadMeasurements()).isEmpty();
    }
}
