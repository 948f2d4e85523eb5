package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static io.janela.testfixtures.MetaRecords.closed;
import static io.janela.testfixtures.MetaRecords.customerMessage;
import static io.janela.testfixtures.MetaRecords.opened;
import static io.janela.testfixtures.MetaRecords.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.Origin;
import io.janela.avro.SlaClock;
import io.janela.avro.SlaEvent;
import io.janela.avro.SlaEventKind;
import io.janela.avro.SlaTarget;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.contract.JanelaTopics;
import io.janela.metrics.hours.Schedule;
import io.janela.metrics.hours.Schedules;
import io.janela.metrics.sla.SlaSettings;
import io.janela.metrics.sla.SlaTargets;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SLA notices on whatsapp.sla-events: AT_RISK once a waiting contact has waited the configured share of its
 * target, BREACHED at the target, WINDOW_CLOSING_WAITING when the window closes (soon) on a waiting customer; each at
 * most once per waiting period. The harness's wall clock starts at {@link MetaRecords#T0} plus one day (a Saturday,
 * 10:00 UTC), so the customer messages here are written then: the wall clock decides when a threshold has passed.
 */
class SlaEventTopologyTest {

    /** The harness's wall clock at start: Saturday 21 November 2026, 10:00 UTC. */
    private static final Instant NOW = MetaRecords.T0.plus(Duration.ofDays(1));

    private static final SlaTargets.Target FIVE_MINUTES_FIRST_FIFTEEN_NEXT = new SlaTargets.Target(
            PHONE_NUMBER_ID, null, Duration.ofMinutes(5), Duration.ofMinutes(15), SlaTargets.Clock.CALENDAR);
    private static final SlaTargets.Target SUPPORT_TEN_MINUTES_NEXT =
            new SlaTargets.Target(PHONE_NUMBER_ID, "support", null, Duration.ofMinutes(10), SlaTargets.Clock.CALENDAR);

    private TopologyHarness harness;
    private JanelaTopics topics;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aContactWaitingPastTheShareOfItsFirstResponseTargetIsAtRiskThenBreachedEachOnce() {
        start(new SlaSettings(
                new SlaTargets(List.of(FIVE_MINUTES_FIRST_FIFTEEN_NEXT), List.of()), Schedules.NONE, 0.8));
        harness.pipe(customerMessage("wamid.c1", NOW));
        harness.pipe(opened(NOW, "wamid.c1", false));

        harness.advance(Duration.ofMinutes(3));
        assertThat(slaEvents()).as("3 of 5 minutes: not yet at risk").isEmpty();

        harness.advance(Duration.ofSeconds(61));
        assertThat(harness.readRecords(topics.slaEvents())).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(ANA.key());
            assertThat(record.timestamp())
                    .as("the time it was written (the wall clock), not its occurredAt")
                    .isEqualTo(NOW.plus(Duration.ofMinutes(3)).plusSeconds(61).toEpochMilli());
            SlaEvent event = record.value();
            assertThat(event.getKind()).isEqualTo(SlaEventKind.AT_RISK);
            assertThat(event.getTarget()).isEqualTo(SlaTarget.FIRST_RESPONSE);
            assertThat(event.getClock()).isEqualTo(SlaClock.CALENDAR);
            assertThat(event.getTargetSeconds()).isEqualTo(300);
            assertThat(event.getWaitedSeconds()).isEqualTo(240);
            assertThat(event.getWaitingSince()).isEqualTo(NOW);
            assertThat(event.getDueAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
            assertThat(event.getOccurredAt()).isEqualTo(NOW.plus(Duration.ofMinutes(4)));
            assertThat(event.getWindowExpiresAt()).isEqualTo(NOW.plus(MetaRecords.WINDOW));
            assertThat(event.getTeam()).isNull();
            assertThat(event.getEventId()).isEqualTo(ANA.key() + ":AT_RISK:first_response:" + NOW.toEpochMilli());
        });

        harness.advance(Duration.ofSeconds(30));
        assertThat(slaEvents()).as("still within the target").isEmpty();

        harness.advance(Duration.ofSeconds(40));
        assertThat(slaEvents()).singleElement().satisfies(event -> {
            assertThat(event.getKind()).isEqualTo(SlaEventKind.BREACHED);
            assertThat(event.getTarget()).isEqualTo(SlaTarget.FIRST_RESPONSE);
            assertThat(event.getWaitedSeconds()).isEqualTo(300);
            assertThat(event.getOccurredAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
            assertThat(event.getEventId()).isEqualTo(ANA.key() + ":BREACHED:first_response:" + NOW.toEpochMilli());
        });

        harness.advance(Duration.ofHours(1));
        harness.pipe(customerMessage("wamid.c2", NOW.plus(Duration.ofMinutes(20))));
        harness.settle();
        assertThat(slaEvents())
                .as("another message of the same wait sends nothing again")
                .isEmpty();
    }

    @Test
    void aContactAnsweredBeforeTheShareOfItsTargetGetsNoNotice() {
        start(new SlaSettings(
                new SlaTargets(List.of(FIVE_MINUTES_FIRST_FIFTEEN_NEXT), List.of()), Schedules.NONE, 0.8));
        harness.pipe(customerMessage("wamid.c1", NOW));
        harness.pipe(opened(NOW, "wamid.c1", false));
        harness.advance(Duration.ofMinutes(2));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, NOW.plus(Duration.ofMinutes(2)))
                .build());

        harness.advance(Duration.ofMinutes(10));
        harness.advance(Duration.ofHours(1));

        assertThat(slaEvents()).isEmpty();
        assertThat(harness.read(harness.measurementTopics().firstResponses())).hasSize(1);
    }

    @Test
    void theNextResponseTargetIsTheTeamOfTheLatestAnswerAndANewWaitGetsItsOwnNotices() {
        start(new SlaSettings(
                new SlaTargets(List.of(FIVE_MINUTES_FIRST_FIFTEEN_NEXT, SUPPORT_TEN_MINUTES_NEXT), List.of()),
                Schedules.NONE,
                0.5));
        harness.pipe(customerMessage("wamid.c1", NOW));
        harness.pipe(opened(NOW, "wamid.c1", false));
        harness.advance(Duration.ofMinutes(1));
        harness.pipe(sent("request-1", "wamid.b1", Origin.AGENT, NOW.plus(Duration.ofMinutes(1)))
                .setTeam("support")
                .build());
        harness.advance(Duration.ofMinutes(1));
        Instant waitingSince = NOW.plus(Duration.ofMinutes(2));
        harness.pipe(customerMessage("wamid.c2", waitingSince));

        harness.advance(Duration.ofMinutes(4));
        assertThat(slaEvents()).as("4 of support's 10 minutes").isEmpty();
        harness.advance(Duration.ofMinutes(1));

        assertThat(slaEvents()).singleElement().satisfies(event -> {
            assertThat(event.getKind()).isEqualTo(SlaEventKind.AT_RISK);
            assertThat(event.getTarget()).isEqualTo(SlaTarget.NEXT_RESPONSE);
            assertThat(event.getTeam()).isEqualTo("support");
            assertThat(event.getTargetSeconds()).isEqualTo(600);
            assertThat(event.getWaitingSince()).isEqualTo(waitingSince);
            assertThat(event.getDueAt()).isEqualTo(waitingSince.plus(Duration.ofMinutes(10)));
        });

        harness.pipe(sent("request-2", "wamid.b2", Origin.AGENT, NOW.plus(Duration.ofMinutes(7)))
                .build());
        harness.advance(Duration.ofMinutes(1));
        Instant again = NOW.plus(Duration.ofMinutes(8));
        harness.pipe(customerMessage("wamid.c3", again));
        harness.advance(Duration.ofMinutes(8));

        assertThat(slaEvents())
                .as("the latest answer named no team: the number's 15 minutes, at risk after 7.5")
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.getKind()).isEqualTo(SlaEventKind.AT_RISK);
                    assertThat(event.getTeam()).isNull();
                    assertThat(event.getTargetSeconds()).isEqualTo(900);
                    assertThat(event.getWaitingSince()).isEqualTo(again);
                });
    }

    @Test
    void aBusinessTimeTargetRunsOnlyInsideTheNumbersHours() {
        Schedule weekdays = Schedule.of(
                "UTC",
                Map.of(
                        "monday", List.of("09:00-18:00"),
                        "tuesday", List.of("09:00-18:00")),
                List.of());
        start(new SlaSettings(
                new SlaTargets(
                        List.of(new SlaTargets.Target(
                                PHONE_NUMBER_ID, null, null, Duration.ofHours(1), SlaTargets.Clock.BUSINESS)),
                        List.of()),
                new Schedules(List.of(new Schedules.Version(PHONE_NUMBER_ID, null, weekdays))),
                0.8));
        // Saturday 10:00: the hour counts from Monday 09:00.
        harness.pipe(customerMessage("wamid.c1", NOW));
        harness.advance(Duration.ofHours(2));
        assertThat(slaEvents())
                .as("two calendar hours on a Saturday are no business time")
                .isEmpty();

        Instant mondayAtRisk = Instant.parse("2026-11-23T09:48:00Z");
        harness.advance(
                Duration.between(NOW.plus(Duration.ofHours(2)), mondayAtRisk).minusMinutes(1));
        assertThat(slaEvents()).as("Monday 09:47").isEmpty();
        harness.advance(Duration.ofMinutes(1));

        assertThat(slaEvents()).singleElement().satisfies(event -> {
            assertThat(event.getKind()).isEqualTo(SlaEventKind.AT_RISK);
            assertThat(event.getTarget()).isEqualTo(SlaTarget.NEXT_RESPONSE);
            assertThat(event.getClock()).isEqualTo(SlaClock.BUSINESS);
            assertThat(event.getTargetSeconds()).isEqualTo(3600);
            assertThat(event.getWaitedSeconds()).isEqualTo(48 * 60);
            assertThat(event.getOccurredAt()).isEqualTo(mondayAtRisk);
            assertThat(event.getDueAt()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        });
    }

    @Test
    void aWindowClosingSoonOnAWaitingCustomerIsToldOnceEvenWithoutTargets() {
        start(SlaSettings.NONE);
        Instant openedAt = NOW.minus(Duration.ofHours(20));
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(opened(openedAt, "wamid.c1", false));
        Instant closingAt = openedAt.plus(Duration.ofHours(20));
        harness.pipe(closingSoon(openedAt, closingAt));

        assertThat(harness.readRecords(topics.slaEvents())).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo(ANA.key());
            SlaEvent event = record.value();
            assertThat(event.getKind()).isEqualTo(SlaEventKind.WINDOW_CLOSING_WAITING);
            assertThat(event.getTarget()).isNull();
            assertThat(event.getWaitingSince()).isEqualTo(openedAt);
            assertThat(event.getWaitedSeconds()).isEqualTo(Duration.ofHours(20).toSeconds());
            assertThat(event.getWindowExpiresAt()).isEqualTo(openedAt.plus(MetaRecords.WINDOW));
            assertThat(event.getOccurredAt()).isEqualTo(closingAt);
            assertThat(event.getEventId())
                    .isEqualTo(ANA.key() + ":WINDOW_CLOSING_WAITING:none:" + openedAt.toEpochMilli());
        });

        harness.pipe(closingSoon(openedAt, closingAt));
        harness.pipe(closed(openedAt, openedAt.plus(MetaRecords.WINDOW), false));
        harness.settle();
        assertThat(slaEvents()).as("the same wait is told once").isEmpty();
        assertThat(harness.read(harness.measurementTopics().windowsClosed())).hasSize(1);
    }

    @Test
    void aWindowClosingWithTheCustomerWaitingIsToldWhenNoClosingSoonCameFirst() {
        start(SlaSettings.NONE);
        Instant openedAt = NOW.minus(Duration.ofHours(25));
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(opened(openedAt, "wamid.c1", false));
        harness.pipe(closed(openedAt, openedAt.plus(MetaRecords.WINDOW), false));

        assertThat(slaEvents()).singleElement().satisfies(event -> {
            assertThat(event.getKind()).isEqualTo(SlaEventKind.WINDOW_CLOSING_WAITING);
            assertThat(event.getOccurredAt()).isEqualTo(openedAt.plus(MetaRecords.WINDOW));
            assertThat(event.getWaitedSeconds()).isEqualTo(MetaRecords.WINDOW.toSeconds());
        });
    }

    @Test
    void aWaitWhoseWindowClosedGetsNoBreachOnlyTheClosingNotice() {
        start(new SlaSettings(
                new SlaTargets(List.of(FIVE_MINUTES_FIRST_FIFTEEN_NEXT), List.of()), Schedules.NONE, 0.8));
        // A backlog read at a first start: the wait is long past its target, but its window closed.
        Instant openedAt = NOW.minus(Duration.ofHours(30));
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(opened(openedAt, "wamid.c1", false));
        harness.pipe(closed(openedAt, openedAt.plus(MetaRecords.WINDOW), false));
        harness.settle();
        harness.advance(Duration.ofHours(1));

        assertThat(slaEvents()).extracting(SlaEvent::getKind).containsExactly(SlaEventKind.WINDOW_CLOSING_WAITING);
    }

    @Test
    void aWaitAlreadyPastItsTargetWhenItArrivesIsBreachedWithoutAnAtRiskFirst() {
        start(new SlaSettings(
                new SlaTargets(List.of(FIVE_MINUTES_FIRST_FIFTEEN_NEXT), List.of()), Schedules.NONE, 0.8));
        Instant openedAt = NOW.minus(Duration.ofMinutes(10));
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(opened(openedAt, "wamid.c1", false));
        harness.settle();
        harness.advance(Duration.ofMinutes(10));

        assertThat(slaEvents()).singleElement().satisfies(event -> {
            assertThat(event.getKind()).isEqualTo(SlaEventKind.BREACHED);
            assertThat(event.getOccurredAt()).isEqualTo(openedAt.plus(Duration.ofMinutes(5)));
        });
    }

    @Test
    void aWindowClosingAfterTheAnswerTellsNothing() {
        start(SlaSettings.NONE);
        Instant openedAt = NOW.minus(Duration.ofHours(20));
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(opened(openedAt, "wamid.c1", false));
        harness.pipe(sent("request-1", "wamid.b1", Origin.BOT, openedAt.plus(Duration.ofMinutes(1)))
                .build());
        harness.pipe(closingSoon(openedAt, NOW));
        harness.pipe(closed(openedAt, openedAt.plus(MetaRecords.WINDOW), true));
        harness.settle();

        assertThat(slaEvents()).isEmpty();
        assertThat(harness.read(harness.measurementTopics().windowsClosed())).hasSize(1);
    }

    private void start(SlaSettings sla) {
        harness = new TopologyHarness(sla);
        topics = harness.topics();
    }

    private List<SlaEvent> slaEvents() {
        return harness.readRecords(topics.slaEvents()).stream()
                .map(TestRecord::value)
                .toList();
    }

    private static WindowEvent closingSoon(Instant openedAt, Instant at) {
        return WindowEvent.newBuilder(opened(openedAt, "wamid.c1", false))
                .setEventId(ANA.key() + ":CLOSING_SOON:" + openedAt.toEpochMilli())
                .setType(WindowEventType.CLOSING_SOON)
                .setOccurredAt(at)
                .build();
    }
}
