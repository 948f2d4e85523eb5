package io.janela.survey.asking;

import static io.janela.survey.asking.SurveyDriver.NUMBER;
import static io.janela.survey.asking.SurveyDriver.resolution;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.OutboundRequest;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.streams.DeadlineIndex;
import io.janela.streams.DeadlineRebuild;
import io.janela.survey.rules.ContactSurveys;
import io.janela.survey.rules.SurveyPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contacts' survey deadlines go back into the index (which has no changelog) a slice at a time while the task
 * runs: one contact per slice here, a slice on each advance of the wall clock. The index is emptied by hand, as after
 * its store was lost, with the contacts' surveys still there; contacts without a survey keep the rebuild going.
 */
class IndexRebuildTopologyTest {

    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final Duration DELAY = SurveyPolicy.defaults().delay();
    static final SurveySettings SETTINGS = new SurveySettings(
            SurveyPolicy.defaults(),
            Duration.ofSeconds(1),
            1000,
            Duration.ofHours(1),
            "en",
            Map.of(),
            Map.of("*", new SurveyTemplate("csat_survey", "en_US", null)),
            Set.of(),
            1,
            new DeadlineRebuild.Pace(Duration.ofMillis(1), 1, Duration.ofHours(1)));

    final SurveyDriver survey = SurveyDriver.start(SETTINGS, T0);

    @AfterEach
    void stop() {
        survey.close();
    }

    @Test
    void theTaskProcessesRecordsAndASurveyDueDuringTheRebuildIsRequested() {
        contactsWithoutSurveys("US.9a", "US.9b"); // read after the surveyed contact
        survey.resolve(resolution("r1", T0, "order 4711"));
        assertThat(surveys().get(SurveyDriver.CONTACT))
                .as("processed before any slice")
                .isNotNull();
        dropIndex();

        survey.advance(DELAY.plusSeconds(1)); // one slice (the surveyed contact), then the survey punctuation

        OutboundRequest request = survey.requests.readValue();
        assertThat(request.getSurveyId()).isNotNull();
        assertThat(rebuildsDone()).as("two contacts not read yet").isZero();
        survey.advance(Duration.ofMillis(1));
        survey.advance(Duration.ofMillis(1));
        assertThat(rebuildsDone()).isEqualTo(1);
        assertThat(survey.requests.isEmpty()).isTrue();
    }

    @Test
    void aSurveyCancelledBeforeTheRebuildReachesItsContactLeavesNoEntryAndIsNotAsked() {
        contactsWithoutSurveys("US.0a"); // read before the surveyed contact
        survey.resolve(resolution("r1", T0, "order 4711"));
        dropIndex();
        survey.advance(Duration.ofMillis(1)); // US.0a

        // The customer writes during the delay: the survey is cancelled, and its entry (which the index lacks) taken
        // out. The rebuild then reads the contact as it is now.
        survey.customerWrites("wamid.more", T0.plusSeconds(60), "one more thing");
        assertThat(survey.events.readValuesToList())
                .extracting(SurveyEvent::getKind)
                .containsExactly(SurveyEventKind.CANCELLED);
        survey.advance(Duration.ofMillis(1)); // the surveyed contact: the end

        assertThat(rebuildsDone()).isEqualTo(1);
        assertThat(entries()).isEmpty();
        survey.advance(DELAY.plusSeconds(1));
        assertThat(survey.requests.isEmpty()).isTrue();
        assertThat(survey.events.isEmpty()).isTrue();
    }

    private void contactsWithoutSurveys(String... userIds) {
        for (String userId : userIds) {
            surveys().put(NUMBER + ":" + userId, StateCodec.encode(ContactSurveys.EMPTY));
        }
    }

    private KeyValueStore<String, Object> surveys() {
        return survey.driver.getKeyValueStore(StoreNames.SURVEYS);
    }

    private KeyValueStore<Bytes, byte[]> index() {
        return survey.driver.getKeyValueStore(StoreNames.DEADLINES);
    }

    private void dropIndex() {
        List<Bytes> keys = new ArrayList<>();
        try (var all = index().all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        assertThat(keys).hasSize(1);
        keys.forEach(index()::delete);
    }

    private List<DeadlineIndex.Due<SurveyDeadline>> entries() {
        return new DeadlineIndex<>(index(), SurveyDeadline.class).due(Long.MAX_VALUE / 2, Integer.MAX_VALUE);
    }

    private double rebuildsDone() {
        return survey.meters.get(SurveyMetrics.INDEX_REBUILD).timer().count();
    }
}
