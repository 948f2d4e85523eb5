package io.janela.survey.asking;

import static io.janela.survey.asking.SurveyDriver.resolution;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.OutboundRequest;
import io.janela.avro.ReplyKind;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.contract.SurveyAnswers;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Both topics the survey-service writes are deleted by time, so their records carry the time they are written (the
 * stream thread's wall clock), never the event's own time, which stays in the value: a survey event dated earlier
 * than its topic's retention would otherwise be deleted before anyone read it.
 */
class RecordTimeTopologyTest {

    @Test
    void surveyEventsAndRequestsCarryTheWallClockAsRecordTimeAndTheirOwnTimeInTheValue() {
        // The usual settings (those of IndexRebuildTopologyTest; its index rebuild has nothing to do here).
        try (SurveyDriver survey = SurveyDriver.start(IndexRebuildTopologyTest.SETTINGS, IndexRebuildTopologyTest.T0)) {
            survey.resolve(resolution("r1", survey.now(), "order 4711"));
            survey.advance(IndexRebuildTopologyTest.DELAY.plusSeconds(1));
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
