package io.janela.survey.asking;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.streams.DeadlineRebuild;
import io.janela.survey.rules.SurveyPolicy;
import io.janela.testsupport.streams.TopologyNames;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyNamingTest {

    @Test
    void theSurveyTopologyNamesEveryNodeStoreAndTopic() {
        SurveySettings settings = new SurveySettings(
                SurveyPolicy.defaults(),
                Duration.ofSeconds(1),
                1000,
                Duration.ofHours(1),
                "en",
                Map.of(),
                Map.of(),
                Set.of(),
                1,
                DeadlineRebuild.Pace.DEFAULT);
        try (SurveyDriver survey = SurveyDriver.start(settings, Instant.parse("2026-12-06T10:00:00Z"))) {
            TopologyNames.assertAllNamed(survey.topology);
            assertThat(TopologyNames.subtopologies(survey.topology))
                    .as("the stateful processors keep their subtopology numbers (task directories on disk)")
                    .containsEntry(SurveyTopology.ASKER, 2);
        }
    }
}
