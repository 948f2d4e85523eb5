package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.at;
import static io.janela.testfixtures.MetaRecords.closed;
import static io.janela.testfixtures.MetaRecords.customerMessage;
import static io.janela.testfixtures.MetaRecords.opened;
import static io.janela.testfixtures.MetaRecords.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.Origin;
import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.summary.SummaryStream;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SummaryTopologyTest {

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void windowAndResponseMeasurementsLandInThePhoneNumbersBucketOfTheirEventTime() {
        Instant openedAt = at(Duration.ZERO);
        harness.pipe(customerMessage("wamid.c1", openedAt));
        harness.pipe(opened(openedAt, "wamid.c1", true));
        harness.pipe(sent("request-1", "wamid.b1", Origin.BOT, at(Duration.ofSeconds(42)))
                .build());
        harness.pipe(closed(openedAt, openedAt.plus(MetaRecords.WINDOW), true));
        harness.settle();

        WindowStore<String, SummaryBucket> store = harness.driver().getWindowStore(SummaryStream.STORE);
        SummaryBucket opening = store.fetch(MetaRecords.PHONE_NUMBER_ID, openedAt.toEpochMilli());
        assertThat(opening.getWindowsOpened()).isEqualTo(1);
        assertThat(opening.getFirstResponses().getCount()).isEqualTo(1);
    }

    @Test
    void surveysDeliveredAndAnsweredLandInTheBucketOfTheirTimeByScore() {
        Instant at = at(Duration.ofHours(2));
        harness.pipe(MetaRecords.surveyDelivered(MetaRecords.ANA, "survey-1", at, "support"));
        harness.pipe(MetaRecords.surveyDelivered(MetaRecords.BEN, "survey-2", at.plusSeconds(1), null));
        harness.pipe(MetaRecords.surveyAnswered(MetaRecords.ANA, "survey-1", "wamid.a1", at.plusSeconds(60), 5, null));
        harness.pipe(MetaRecords.surveyAnswered(MetaRecords.BEN, "survey-2", "wamid.a2", at.plusSeconds(61), 2, null));
        harness.settle();

        SummaryBucket bucket = harness.driver()
                .<String, SummaryBucket>getWindowStore(SummaryStream.STORE)
                .fetch(MetaRecords.PHONE_NUMBER_ID, at.toEpochMilli());
        assertThat(bucket.getSurveysDelivered()).isEqualTo(2);
        assertThat(bucket.getSurveyAnswersByScore()).containsExactly(0L, 1L, 0L, 0L, 1L);
        assertThat(bucket.getWindowsOpened()).isZero();
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void aMeasurementThatComesLateStillLandsInTheBucketOfItsEventTime() {
        Instant early = at(Duration.ofHours(1));
        harness.pipe(customerMessage("wamid.c1", at(Duration.ofHours(30))));
        harness.pipe(opened(at(Duration.ofHours(30)), "wamid.c1", true));
        harness.settle();
        harness.pipe(opened(early, "wamid.c0", false));
        harness.settle();

        WindowStore<String, SummaryBucket> store = harness.driver().getWindowStore(SummaryStream.STORE);
        assertThat(store.fetch(MetaRecords.PHONE_NUMBER_ID, early.toEpochMilli())
                        .getWindowsOpened())
                .isEqualTo(1);
        assertThat(store.fetch(MetaRecords.PHONE_NUMBER_ID, early.toEpochMilli())
                        .getOpenedByFirstTimeContacts())
                .isZero();
    }
}
