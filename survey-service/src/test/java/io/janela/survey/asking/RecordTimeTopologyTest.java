package io.janela.survey.asking;

import static io.janela.survey.asking.SurveyDriver.resolution;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.OutboundRequest;
import io.janela.avro.ReplyKind;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.contract.SurveyAnswers;
import io.janela.survey.rules.SurveyPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Both topics the survey-service writes are deleted by time, so their records carry the time they are written (the
 * stream thread's wall clock), never the event's own time, which stays in the value: a survey event dated earlier
 * than its topic's retention would otherwise be deleted before anyone read it.
 */
class RecordTimeTopologyTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final Duration DELAY = Duration.ofMinutes(5);

    @Test
    void surveyEventsAndRequestsCarryTheWallClockAsRecordTimeAndTheirOwnTimeInTheValue() {
        SurveySettings settings = new SurveySettings(
                SurveyPolicy.defaults(),
                Duration.ofSeconds(1),
                1000,
                Duration.ofHours(1),
                "en",
                Map.of(),
                Map.of("*", new SurveyTemplate("csat_survey", "en_US", null)),
                Set.of(),
                1);
        try (SurveyDriver survey = SurveyDriver.start(settings, T0)) {
            survey.resolve(resolution("r1", T0, "order 4711"));
            survey.advance(DELAY.plusSeconds(1));
            TestRecord<String, OutboundRequest> request = survey.requests.readRecord();
            assertThat(request.getRecordTime()).isEqualTo(survey.now());

            // Meta's times, ahead of the driver's clock: the record times cannot be taken for them.
            Instant sentAt = survey.now().plusSeconds(20);
            Instant answeredAt = sentAt.plusSeconds(40);
            survey.dispatchSent(request.value(), "wamid.survey", sentAt, false);
            survey.customerTaps(
                    "wamid.answer",
                    answeredAt,
                    "wamid.survey",
                    ReplyKind.LIST_REPLY,
                    SurveyAnswers.code(request.value().getSurveyId(), 5));

            List<TestRecord<String, SurveyEvent>> events = survey.events.readRecordsToList();
            assertThat(events)
                    .extracting(event -> event.value().getKind())
                    .containsExactly(SurveyEventKind.SENT, SurveyEventKind.DELIVERED, SurveyEventKind.ANSWERED);
            assertThat(events).extracting(TestRecord::getRecordTime).containsOnly(survey.now());
            assertThat(events.getLast().value().getOccurredAt()).isEqualTo(answeredAt);
        }
    }
}
