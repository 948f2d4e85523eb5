package io.janela.metrics.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.CallDirection;
import io.janela.avro.CallEvent;
import io.janela.avro.CallEventType;
import io.janela.avro.CallStatus;
import io.janela.avro.CloseReason;
import io.janela.avro.FailureStage;
import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageFailureMeasurement;
import io.janela.avro.MessagePricingMeasurement;
import io.janela.avro.MessageSentMeasurement;
import io.janela.avro.PricingType;
import io.janela.avro.ResolutionMeasurement;
import io.janela.avro.ResponderKind;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.avro.SurveyPath;
import io.janela.avro.SurveySkipReason;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.metrics.hours.Schedule;
import io.janela.metrics.hours.Schedules;
import io.janela.metrics.sla.SlaTargets;
import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.testing.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeasurementMetersTest {

    private static final String PN = "106540352242922";
    private static final Instant AT = Instant.parse("2026-11-20T10:00:42Z");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MeasurementMeters meters = new MeasurementMeters(registry, Schedules.NONE, SlaTargets.NONE);

    @Test
    void aResponseTimeIsObservedInItsHistogramBucketByPhoneNumberAndResponderKind() {
        meters.record(response(AT.minusSeconds(90), AT, ResponderKind.AGENT));

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_response_time_seconds_bucket", "le", "60.0"))
                .isZero();
        assertThat(scrape.sum("janela_response_time_seconds_bucket", "le", "120.0"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_response_time_seconds_bucket", "le", "86400.0"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_response_time_seconds_count", "phone_number_id", PN, "responder_kind", "agent"))
                .isEqualTo(1);
        assertThat(scrape.labelSets("janela_response_time_seconds_bucket"))
                .extracting(labels -> labels.get("le"))
                .contains("0.5", "1.0", "30.0", "3600.0", "86400.0", "+Inf");
        assertThat(scrape.sum("janela_measurements_latest_seconds", "measurement", "response_time"))
                .isEqualTo(AT.getEpochSecond());
    }

    @Test
    void responseAndFirstResponseTimesAreAlsoObservedInBusinessTimeOfTheNumbersSchedule() {
        Schedule weekdays = Schedule.of(
                "UTC",
                Map.of(
                        "monday", List.of("09:00-18:00"),
                        "friday", List.of("09:00-18:00")),
                List.of());
        MeasurementMeters scheduled = new MeasurementMeters(
                registry, new Schedules(List.of(new Schedules.Version(PN, null, weekdays))), SlaTargets.NONE);
        // Friday 2026-11-20 17:30 to Monday 23rd 09:30: 64 h of calendar time, 1 h of business time.
        Instant friday = Instant.parse("2026-11-20T17:30:00Z");
        Instant monday = Instant.parse("2026-11-23T09:30:00Z");
        scheduled.record(response(friday, monday, ResponderKind.AGENT));
        scheduled.record(FirstResponseMeasurement.newBuilder()
                .setMeasurementId("m2")
                .setPhoneNumberId(PN)
                .setContactId("US.1")
                .setOccurredAt(monday)
                .setWindowOpenedAt(friday.plusSeconds(600))
                .setBusinessMessageId("b1")
                .setResponderKind(ResponderKind.AGENT)
                .setFirstResponseTimeMillis(64 * 3_600_000L - 600_000)
                .setWindowExpiresAt(monday.plusSeconds(3600))
                .setHeadroomMillis(3_600_000)
                .build());

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_response_time_seconds_sum", "phone_number_id", PN))
                .isEqualTo(64 * 3600);
        assertThat(scrape.sum(
                        "janela_response_time_business_seconds_sum", "phone_number_id", PN, "responder_kind", "agent"))
                .isEqualTo(3600);
        assertThat(scrape.sum("janela_response_time_business_seconds_bucket", "le", "3600.0"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_response_time_business_seconds_bucket", "le", "1800.0"))
                .isZero();
        assertThat(scrape.sum("janela_first_response_time_business_seconds_sum", "responder_kind", "agent"))
                .isEqualTo(3000);
        assertThat(scrape.sum("janela_first_response_time_business_seconds_count", "phone_number_id", PN))
                .isEqualTo(1);
    }

    @Test
    void slaCountersExistAtZeroForEveryTargetFromTheStartAndCountEachResponseMetOrBreached() {
        SlaTargets targets = new SlaTargets(
                List.of(new SlaTargets.Target(
                        PN, "support", Duration.ofMinutes(5), Duration.ofMinutes(1), SlaTargets.Clock.CALENDAR)),
                List.of());
        MeasurementMeters withTargets = new MeasurementMeters(registry, Schedules.NONE, targets);

        PrometheusText before = new PrometheusText(registry.scrape());
        assertThat(before.labelSets("janela_sla_responses_total"))
                .extracting(labels -> labels.get("target") + "/" + labels.get("result"))
                .containsExactlyInAnyOrder(
                        "first_response/met", "first_response/breached", "next_response/met", "next_response/breached");
        assertThat(before.sum("janela_sla_responses_total", "phone_number_id", PN))
                .isZero();

        withTargets.record(response(AT.minusSeconds(30), AT, ResponderKind.AGENT, "support"));
        withTargets.record(response(AT.minusSeconds(90), AT, ResponderKind.AGENT, "support"));
        withTargets.record(response(AT.minusSeconds(90), AT, ResponderKind.AGENT, null));

        PrometheusText after = new PrometheusText(registry.scrape());
        assertThat(after.sum(
                        "janela_sla_responses_total",
                        "team",
                        "support",
                        "target",
                        "next_response",
                        "clock",
                        "calendar",
                        "result",
                        "met"))
                .isEqualTo(1);
        assertThat(after.sum("janela_sla_responses_total", "team", "support", "result", "breached"))
                .isEqualTo(1);
        assertThat(after.sum("janela_sla_responses_total", "team", "none"))
                .as("no target applies to a response without a team here")
                .isZero();
    }

    @Test
    void aNumberWithoutAScheduleHasTheSameBusinessAndCalendarTime() {
        meters.record(response(AT.minusSeconds(90), AT, ResponderKind.BOT));

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_response_time_business_seconds_sum", "responder_kind", "bot"))
                .isEqualTo(90);
    }

    @Test
    void responseTimesAreLabelledByAConfiguredTeamElseOtherAndNoneWhenTheAnswerNamedNone() {
        SlaTargets targets = new SlaTargets(
                List.of(new SlaTargets.Target(PN, "support", null, Duration.ofMinutes(1), SlaTargets.Clock.CALENDAR)),
                List.of("sales"));
        MeasurementMeters withTeams = new MeasurementMeters(registry, Schedules.NONE, targets);

        withTeams.record(response(AT.minusSeconds(30), AT, ResponderKind.AGENT, "support"));
        withTeams.record(response(AT.minusSeconds(30), AT, ResponderKind.AGENT, " sales "));
        withTeams.record(response(AT.minusSeconds(30), AT, ResponderKind.AGENT, "a-team-nobody-configured"));
        withTeams.record(response(AT.minusSeconds(30), AT, ResponderKind.BOT, null));
        withTeams.record(FirstResponseMeasurement.newBuilder()
                .setMeasurementId("m2")
                .setPhoneNumberId(PN)
                .setContactId("US.1")
                .setOccurredAt(AT)
                .setWindowOpenedAt(AT.minusSeconds(42))
                .setBusinessMessageId("b1")
                .setResponderKind(ResponderKind.AGENT)
                .setTeam("support")
                .setFirstResponseTimeMillis(42_000)
                .setWindowExpiresAt(AT.plusSeconds(3 * 3600))
                .setHeadroomMillis(3 * 3_600_000)
                .build());

        PrometheusText scrape = new PrometheusText(registry.scrape());
        for (String histogram :
                List.of("janela_response_time_seconds_count", "janela_response_time_business_seconds_count")) {
            assertThat(scrape.labelSets(histogram))
                    .extracting(labels -> labels.get("team"))
                    .containsExactlyInAnyOrder("support", "sales", "other", "none");
            assertThat(scrape.sum(histogram, "team", "other")).isEqualTo(1);
        }
        assertThat(scrape.sum("janela_first_response_time_seconds_count", "team", "support"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_first_response_time_business_seconds_count", "team", "support"))
                .isEqualTo(1);
        assertThat(scrape.labelSets("janela_first_response_headroom_seconds_count"))
                .as("the headroom is about the window, not who answered")
                .singleElement()
                .satisfies(labels -> assertThat(labels).doesNotContainKey("team"));
    }

    @Test
    void aFirstResponseObservesItsTimeAndItsHeadroom() {
        meters.record(FirstResponseMeasurement.newBuilder()
                .setMeasurementId("m1")
                .setPhoneNumberId(PN)
                .setContactId("US.1")
                .setOccurredAt(AT)
                .setWindowOpenedAt(AT.minusSeconds(42))
                .setBusinessMessageId("b1")
                .setResponderKind(ResponderKind.BOT)
                .setFirstResponseTimeMillis(42_000)
                .setWindowExpiresAt(AT.plusSeconds(3 * 3600))
                .setHeadroomMillis(3 * 3_600_000)
                .build());

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_first_response_time_seconds_sum", "responder_kind", "bot"))
                .isEqualTo(42);
        assertThat(scrape.sum("janela_first_response_headroom_seconds_bucket", "le", "7200.0"))
                .isZero();
        assertThat(scrape.sum("janela_first_response_headroom_seconds_bucket", "le", "14400.0"))
                .isEqualTo(1);
    }

    @Test
    void headroomHasHourlyBucketsBetween12And24HoursSoAReplyWithin1HourReadsAbove23Hours() {
        for (int minute = 1; minute <= 50; minute++) {
            meters.record(FirstResponseMeasurement.newBuilder()
                    .setMeasurementId("m" + minute)
                    .setPhoneNumberId(PN)
                    .setContactId("US." + minute)
                    .setOccurredAt(AT)
                    .setWindowOpenedAt(AT.minusSeconds(60L * minute))
                    .setBusinessMessageId("b" + minute)
                    .setResponderKind(ResponderKind.AGENT)
                    .setFirstResponseTimeMillis(60_000L * minute)
                    .setWindowExpiresAt(AT.plusSeconds(86_400 - 60L * minute))
                    .setHeadroomMillis(86_400_000L - 60_000L * minute)
                    .build());
        }

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.labelSets("janela_first_response_headroom_seconds_bucket"))
                .extracting(labels -> labels.get("le"))
                .contains("43200.0", "46800.0", "79200.0", "82800.0", "86400.0");
        assertThat(scrape.sum("janela_first_response_headroom_seconds_bucket", "le", "82800.0"))
                .isZero();
        assertThat(scrape.sum("janela_first_response_headroom_seconds_bucket", "le", "86400.0"))
                .isEqualTo(50);
        // The other histograms keep the shared buckets: 12 h, then 24 h.
        assertThat(scrape.labelSets("janela_first_response_time_seconds_bucket"))
                .extracting(labels -> labels.get("le"))
                .doesNotContain("46800.0");
    }

    @Test
    void surveyEventsCountByKindPathAndSkipReasonAndAnswersByScoreNeverByAgent() {
        meters.record(survey("s1", SurveyEventKind.SENT, SurveyPath.IN_WINDOW, null, null));
        meters.record(survey("s1", SurveyEventKind.DELIVERED, SurveyPath.IN_WINDOW, null, null));
        meters.record(survey("s1", SurveyEventKind.ANSWERED, SurveyPath.IN_WINDOW, null, 5));
        meters.record(survey("s2", SurveyEventKind.ANSWERED, SurveyPath.TEMPLATE, null, 2));
        meters.record(survey("s3", SurveyEventKind.SKIPPED, SurveyPath.TEMPLATE, SurveySkipReason.NO_TEMPLATE, null));

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_surveys_total", "kind", "delivered", "path", "in_window", "reason", "none"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_surveys_total", "kind", "answered")).isEqualTo(2);
        assertThat(scrape.sum("janela_surveys_total", "kind", "skipped", "reason", "no_template", "path", "template"))
                .isEqualTo(1);
        assertThat(scrape.sum(
                        "janela_survey_responses_total", "score", "5", "path", "in_window", "phone_number_id", PN))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_survey_responses_total", "score", "2", "path", "template"))
                .isEqualTo(1);
        assertThat(scrape.labelSets("janela_survey_responses_total"))
                .allSatisfy(labels -> assertThat(labels).doesNotContainKey("agent_id"));
        assertThat(scrape.sum("janela_measurements_latest_seconds", "measurement", "survey"))
                .isEqualTo(AT.getEpochSecond());
    }

    @Test
    void surveyMetersCarryTheCreditedTeamFromTheConfiguredSetElseOtherAndNone() {
        SlaTargets targets = new SlaTargets(
                List.of(new SlaTargets.Target(PN, "support", null, Duration.ofMinutes(1), SlaTargets.Clock.CALENDAR)),
                List.of("sales"));
        MeasurementMeters withTeams = new MeasurementMeters(registry, Schedules.NONE, targets);

        withTeams.record(survey("s1", SurveyEventKind.ANSWERED, SurveyPath.IN_WINDOW, null, 5, "support"));
        withTeams.record(survey("s2", SurveyEventKind.ANSWERED, SurveyPath.IN_WINDOW, null, 4, "sales"));
        withTeams.record(survey("s3", SurveyEventKind.ANSWERED, SurveyPath.IN_WINDOW, null, 1, "night-shift"));
        withTeams.record(survey("s4", SurveyEventKind.DELIVERED, SurveyPath.TEMPLATE, null, null, null));

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_survey_responses_total", "team", "support", "score", "5"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_survey_responses_total", "team", "sales", "score", "4"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_survey_responses_total", "team", "other", "score", "1"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_surveys_total", "team", "none", "kind", "delivered"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_surveys_total", "team", "support", "kind", "answered"))
                .isEqualTo(1);
        assertThat(scrape.labelSets("janela_survey_responses_total"))
                .extracting(labels -> labels.get("team"))
                .containsOnly("support", "sales", "other");
    }

    @Test
    void callsCountByDirectionEventAndStatusAndARedeliveredCallEventOnce() {
        meters.record(call("wacid.1", CallDirection.USER_INITIATED, CallEventType.CONNECT, null));
        meters.record(call("wacid.1", CallDirection.USER_INITIATED, CallEventType.CONNECT, null));
        meters.record(call("wacid.1", CallDirection.USER_INITIATED, CallEventType.TERMINATE, CallStatus.COMPLETED));
        meters.record(call("wacid.2", CallDirection.USER_INITIATED, CallEventType.TERMINATE, CallStatus.FAILED));
        meters.record(call("wacid.3", CallDirection.BUSINESS_INITIATED, CallEventType.STATUS, CallStatus.RINGING));
        meters.record(call("wacid.3", CallDirection.BUSINESS_INITIATED, CallEventType.STATUS, CallStatus.ACCEPTED));
        meters.record(call("wacid.4", CallDirection.BUSINESS_INITIATED, CallEventType.STATUS, CallStatus.REJECTED));

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum(
                        "janela_calls_total",
                        "phone_number_id",
                        PN,
                        "direction",
                        "user_initiated",
                        "event",
                        "connect",
                        "status",
                        "none"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_calls_total", "event", "terminate", "status", "completed"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_calls_total", "event", "terminate", "status", "failed"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_calls_total", "direction", "business_initiated", "status", "accepted"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_calls_total", "direction", "business_initiated"))
                .isEqualTo(3);
        assertThat(scrape.sum("janela_calls_total")).isEqualTo(6);
        assertThat(scrape.labelSets("janela_calls_total"))
                .allSatisfy(labels -> assertThat(labels.keySet())
                        .containsExactlyInAnyOrder("phone_number_id", "direction", "event", "status"));
        assertThat(scrape.sum("janela_measurements_latest_seconds", "measurement", "call"))
                .isEqualTo(AT.getEpochSecond());
    }

    private static CallEvent call(String callId, CallDirection direction, CallEventType event, CallStatus status) {
        return CallEvent.newBuilder()
                .setCallId(callId)
                .setPhoneNumberId(PN)
                .setContactId("US.13491208655302741918")
                .setUserId("US.13491208655302741918")
                .setDirection(direction)
                .setEvent(event)
                .setStatus(status)
                .setTimestamp(AT)
                .setErrors(List.of())
                .setRawJson("{}")
                .build();
    }

    private static SurveyEvent survey(
            String surveyId, SurveyEventKind kind, SurveyPath path, SurveySkipReason reason, Integer score) {
        return survey(surveyId, kind, path, reason, score, null);
    }

    private static SurveyEvent survey(
            String surveyId,
            SurveyEventKind kind,
            SurveyPath path,
            SurveySkipReason reason,
            Integer score,
            String team) {
        return SurveyEvent.newBuilder()
                .setTeam(team)
                .setEventId(surveyId + ":" + kind)
                .setSurveyId(surveyId)
                .setKind(kind)
                .setPhoneNumberId(PN)
                .setContactId("US.1")
                .setPath(path)
                .setSkipReason(reason)
                .setScore(score)
                .setAgentId("agent-7")
                .setOccurredAt(AT)
                .build();
    }

    @Test
    void windowsCountByFirstTimeOrReturningContactAndByReplyWaitingAndReason() {
        meters.record(opened("US.1", false).build());
        meters.record(WindowClosedMeasurement.newBuilder()
                .setMeasurementId("c1")
                .setPhoneNumberId(PN)
                .setContactId("US.1")
                .setOccurredAt(AT)
                .setWindowOpenedAt(AT.minusSeconds(86_400))
                .setCloseReason(CloseReason.CLOSED_BY_META)
                .setBusinessReplied(false)
                .setCustomerWaitingSince(AT.minusSeconds(600))
                .build());

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_windows_opened_total", "opened_by", "returning_contact"))
                .isEqualTo(1);
        assertThat(scrape.sum(
                        "janela_windows_closed_total",
                        "outcome",
                        "unreplied",
                        "customer_waiting",
                        "true",
                        "close_reason",
                        "closed_by_meta"))
                .isEqualTo(1);
    }

    @Test
    void aRetroactiveWindowCountsInTheFunnelUnderLateTrueAndTheOthersUnderLateFalse() {
        meters.record(opened("US.1", true).build());
        meters.record(opened("US.2", true).setLate(true).build());
        meters.record(closed("c1", true, false).build());
        meters.record(closed("c2", false, true).setLate(true).build());

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_windows_opened_total", "late", "true")).isEqualTo(1);
        assertThat(scrape.sum("janela_windows_opened_total", "late", "false")).isEqualTo(1);
        assertThat(scrape.sum("janela_windows_closed_total", "late", "true", "outcome", "unreplied"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_windows_closed_total", "late", "false", "outcome", "replied"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_windows_closed_total", "phone_number_id", PN))
                .as("the response rate's denominator holds both")
                .isEqualTo(2);
        assertThat(scrape.labelSets("janela_windows_closed_total"))
                .extracting(labels -> labels.get("late"))
                .containsOnly("true", "false");
    }

    private static WindowClosedMeasurement.Builder closed(String id, boolean replied, boolean waiting) {
        return WindowClosedMeasurement.newBuilder()
                .setMeasurementId(id)
                .setPhoneNumberId(PN)
                .setContactId("US.1")
                .setOccurredAt(AT)
                .setWindowOpenedAt(AT.minusSeconds(86_400))
                .setCloseReason(CloseReason.EXPIRED)
                .setBusinessReplied(replied)
                .setCustomerWaitingSince(waiting ? AT.minusSeconds(86_400) : null);
    }

    @Test
    void aReturningContactsWindowObservesTheGapSinceTheirPreviousWindowAndAFirstContactsDoesNot() {
        meters.record(opened("US.1", false)
                .setPreviousWindowClosedAt(AT.minus(Duration.ofDays(5)))
                .build());
        meters.record(opened("US.2", true).build());

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_returning_gap_seconds_count", "phone_number_id", PN))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_returning_gap_seconds_sum", "phone_number_id", PN))
                .isEqualTo(Duration.ofDays(5).toSeconds());
        assertThat(scrape.sum("janela_returning_gap_seconds_bucket", "le", "259200.0"))
                .as("3 days")
                .isZero();
        assertThat(scrape.sum("janela_returning_gap_seconds_bucket", "le", "604800.0"))
                .as("7 days")
                .isEqualTo(1);
        assertThat(scrape.labelSets("janela_returning_gap_seconds_bucket"))
                .extracting(labels -> labels.get("le"))
                .contains("3600.0", "86400.0", "2592000.0", "3.1536E7", "+Inf");
        assertThat(scrape.sum("janela_windows_opened_total", "phone_number_id", PN))
                .isEqualTo(2);
    }

    @Test
    void aWindowASurveyAnswerOpenedCountsApartAndStaysOutOfTheWindowsTheReturningGapAndTheResponseRate() {
        meters.record(opened("US.1", false)
                .setPreviousWindowClosedAt(AT.minus(Duration.ofDays(5)))
                .setOpenedBySurveyAnswer(true)
                .build());
        meters.record(WindowClosedMeasurement.newBuilder()
                .setMeasurementId("c1")
                .setPhoneNumberId(PN)
                .setContactId("US.1")
                .setOccurredAt(AT.plus(Duration.ofDays(1)))
                .setWindowOpenedAt(AT)
                .setCloseReason(CloseReason.EXPIRED)
                .setBusinessReplied(false)
                .setSurveyAnswerOnly(true)
                .build());

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_survey_answer_windows_total", "phone_number_id", PN))
                .isEqualTo(1);
        assertThat(scrape.labelSets("janela_windows_opened_total")).isEmpty();
        assertThat(scrape.labelSets("janela_returning_gap_seconds_count")).isEmpty();
        assertThat(scrape.labelSets("janela_windows_closed_total")).isEmpty();
    }

    @Test
    void resolutionsCountReopenedOrHeldByTeamFromTheConfiguredSet() {
        SlaTargets targets = new SlaTargets(List.of(), List.of("support"));
        MeasurementMeters withTeams = new MeasurementMeters(registry, Schedules.NONE, targets);
        withTeams.record(resolution("r1", "support", true));
        withTeams.record(resolution("r2", "support", false));
        withTeams.record(resolution("r3", "unlisted", false));

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_conversation_resolutions_total", "team", "support", "outcome", "reopened"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_conversation_resolutions_total", "team", "support", "outcome", "held"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_conversation_resolutions_total", "team", "other", "outcome", "held"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_measurements_latest_seconds", "measurement", "resolution"))
                .isEqualTo(AT.getEpochSecond());
    }

    @Test
    void messagesCountByCategoryPricingAndErrorCodeAndTheEstimatedCostAddsUp() {
        meters.record(sentUtility("r1"));
        meters.record(sentUtility("r2"));
        meters.record(MessageFailureMeasurement.newBuilder()
                .setMeasurementId("f1")
                .setPhoneNumberId(PN)
                .setStage(FailureStage.SEND)
                .setOccurredAt(AT)
                .setCategory(MessageCategory.MARKETING)
                .setResponderKind(ResponderKind.CAMPAIGN)
                .build());
        meters.record(MessagePricingMeasurement.newBuilder()
                .setMeasurementId("p1")
                .setPhoneNumberId(PN)
                .setContactId("US.1")
                .setMessageId("b1")
                .setOccurredAt(AT)
                .setCategory(MessageCategory.SERVICE)
                .setPricingType(PricingType.REGULAR)
                .build());

        PrometheusText scrape = new PrometheusText(registry.scrape());
        assertThat(scrape.sum("janela_messages_sent_total", "category", "utility", "pricing_type", "regular"))
                .isEqualTo(2);
        assertThat(scrape.sum("janela_messages_estimated_cost_total", "currency", "USD"))
                .isEqualTo(0.008);
        assertThat(scrape.sum("janela_messages_failed_total", "error_code", "none", "stage", "send"))
                .isEqualTo(1);
        assertThat(scrape.sum(
                        "janela_messages_priced_total",
                        "category",
                        "service",
                        "predicted_category",
                        "none",
                        "predicted_pricing_type",
                        "none"))
                .isEqualTo(1);
    }

    private static MessageSentMeasurement sentUtility(String requestId) {
        return MessageSentMeasurement.newBuilder()
                .setMeasurementId(PN + ":request:" + requestId + ":sent")
                .setPhoneNumberId(PN)
                .setRequestId(requestId)
                .setOccurredAt(AT)
                .setResponderKind(ResponderKind.SYSTEM)
                .setCategory(MessageCategory.UTILITY)
                .setPricingType(PricingType.REGULAR)
                .setEstimatedCost(new BigDecimal("0.004000"))
                .setCurrency("USD")
                .build();
    }

    @Test
    void aRecordThatIsNoMeasurementIsRefused() {
        assertThatThrownBy(() -> meters.record(new SummaryBucket())).isInstanceOf(IllegalArgumentException.class);
    }

    /** A response time measurement of contact US.1 of {@link #PN}. */
    private static WindowOpenedMeasurement.Builder opened(String contactId, boolean firstContact) {
        return WindowOpenedMeasurement.newBuilder()
                .setMeasurementId(contactId + ":window-opened")
                .setPhoneNumberId(PN)
                .setContactId(contactId)
                .setOccurredAt(AT)
                .setFirstContact(firstContact);
    }

    private static ResolutionMeasurement resolution(String id, String team, boolean reopened) {
        return ResolutionMeasurement.newBuilder()
                .setMeasurementId(id)
                .setPhoneNumberId(PN)
                .setContactId("US.1")
                .setOccurredAt(AT)
                .setResolvedAt(AT.minusSeconds(600))
                .setResolutionId(id)
                .setTeam(team)
                .setReopened(reopened)
                .setReopenedAt(reopened ? AT : null)
                .setReopenWithinMillis(Duration.ofHours(24).toMillis())
                .build();
    }

    private static ResponseTimeMeasurement response(Instant waitingSince, Instant at, ResponderKind kind) {
        return response(waitingSince, at, kind, null);
    }

    private static ResponseTimeMeasurement response(Instant waitingSince, Instant at, ResponderKind kind, String team) {
        return ResponseTimeMeasurement.newBuilder()
                .setTeam(team)
                .setMeasurementId("m1")
                .setPhoneNumberId(PN)
                .setContactId("US.1")
                .setOccurredAt(at)
                .setWaitingSince(waitingSince)
                .setCustomerMessageId("c1")
                .setBusinessMessageId("b1")
                .setResponderKind(kind)
                .setResponseTimeMillis(at.toEpochMilli() - waitingSince.toEpochMilli())
                .build();
    }
}
