package io.janela.metrics.topology;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.BEN;
import static io.janela.testfixtures.MetaRecords.at;
import static io.janela.testfixtures.MetaRecords.customerMessage;
import static io.janela.testfixtures.MetaRecords.opened;
import static io.janela.testfixtures.MetaRecords.sent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.Origin;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyPath;
import io.janela.metrics.state.AgentFigures;
import io.janela.metrics.state.KeyedSurveys;
import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.summary.SummarySettings;
import io.janela.metrics.summary.SummaryStream;
import io.janela.metrics.testing.TopologyHarness;
import io.janela.testfixtures.MetaRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-agent figures in the summary buckets: the agent the answering request named ({@code DispatchResult.agentId}),
 * carried through the message and conversation steps onto the response and first-response measurements, and the agent
 * survey-service credited a survey to. Rows: {@code named}, {@code none} (named no agent), {@code other} (beyond the
 * bucket's cap).
 */
class AgentSummaryTopologyTest {

    private static final Instant T = at(Duration.ZERO);

    private final TopologyHarness harness = new TopologyHarness();

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void responsesAndFirstResponsesCountForTheAgentTheAnsweringRequestNamed() {
        // Ana: agent-1 answers first (42 s), agent-2 answers her next message (30 s).
        harness.pipe(customerMessage(ANA, "wamid.ana-1", T));
        harness.pipe(opened(ANA, T, "wamid.ana-1", true));
        harness.pipe(sent(ANA, "request-1", "wamid.b1", Origin.AGENT, T.plusSeconds(42))
                .setAgentId("agent-1")
                .setTeam("support")
                .build());
        harness.pipe(customerMessage(ANA, "wamid.ana-2", T.plusSeconds(100)));
        harness.pipe(sent(ANA, "request-2", "wamid.b2", Origin.AGENT, T.plusSeconds(130))
                .setAgentId("agent-2")
                .build());
        // Ben: a bot that names no agent answers in 60 s.
        harness.pipe(customerMessage(BEN, "wamid.ben-1", T.plusSeconds(10)));
        harness.pipe(opened(BEN, T.plusSeconds(10), "wamid.ben-1", false));
        harness.pipe(sent(BEN, "request-3", "wamid.b3", Origin.BOT, T.plusSeconds(70))
                .build());
        harness.settle();

        assertThat(harness.read(harness.measurementTopics().responseTimes()))
                .extracting(ResponseTimeMeasurement::getBusinessMessageId, ResponseTimeMeasurement::getAgentId)
                .containsExactlyInAnyOrder(
                        tuple("wamid.b1", "agent-1"), tuple("wamid.b2", "agent-2"), tuple("wamid.b3", null));
        assertThat(harness.read(harness.measurementTopics().firstResponses()))
                .extracting(FirstResponseMeasurement::getBusinessMessageId, FirstResponseMeasurement::getAgentId)
                .containsExactlyInAnyOrder(tuple("wamid.b1", "agent-1"), tuple("wamid.b3", null));
        assertThat(bucket(T).getAgents())
                .extracting(
                        AgentFigures::getRow,
                        AgentFigures::getAgentId,
                        agent -> agent.getResponseTimes().getCount(),
                        agent -> agent.getResponseTimes().getSumMillis(),
                        agent -> agent.getFirstResponses().getCount(),
                        agent -> agent.getFirstResponses().getSumMillis())
                .containsExactlyInAnyOrder(
                        tuple("named", "agent-1", 1L, 42_000L, 1L, 42_000L),
                        tuple("named", "agent-2", 1L, 30_000L, 0L, 0L),
                        tuple("none", null, 1L, 60_000L, 1L, 60_000L));
        harness.read(harness.measurementTopics().windowsOpened());
        harness.read(harness.measurementTopics().messagesSent());
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void surveysCountForTheirAgentPathAndTeam() {
        harness.pipe(delivered("survey-1", T, "agent-1", "support", SurveyPath.IN_WINDOW));
        harness.pipe(answered("survey-1", T.plusSeconds(30), 5, "agent-1", "support", SurveyPath.IN_WINDOW));
        harness.pipe(delivered("survey-2", T.plusSeconds(1), "agent-1", "sales", SurveyPath.TEMPLATE));
        harness.pipe(answered("survey-2", T.plusSeconds(40), 2, "agent-1", "sales", SurveyPath.TEMPLATE));
        harness.pipe(delivered("survey-3", T.plusSeconds(2), "agent-2", null, SurveyPath.TEMPLATE));
        harness.pipe(delivered("survey-4", T.plusSeconds(3), null, null, null));
        harness.settle();

        SummaryBucket bucket = bucket(T);
        assertThat(bucket.getAgents())
                .extracting(
                        AgentFigures::getRow,
                        AgentFigures::getAgentId,
                        agent -> agent.getSurveys().getDelivered(),
                        agent -> agent.getSurveys().getAnswersByScore())
                .containsExactlyInAnyOrder(
                        tuple("named", "agent-1", 2L, List.of(0L, 1L, 0L, 0L, 1L)),
                        tuple("named", "agent-2", 1L, List.of()),
                        tuple("none", null, 1L, List.of()));
        assertThat(bucket.getSurveysByPath())
                .extracting(
                        KeyedSurveys::getKey,
                        keyed -> keyed.getSurveys().getDelivered(),
                        keyed -> keyed.getSurveys().getAnswersByScore())
                .containsExactlyInAnyOrder(
                        tuple("in_window", 1L, List.of(0L, 0L, 0L, 0L, 1L)),
                        tuple("template", 2L, List.of(0L, 1L, 0L, 0L, 0L)),
                        tuple("unknown", 1L, List.of()));
        assertThat(bucket.getSurveysByTeam())
                .extracting(
                        KeyedSurveys::getRow,
                        KeyedSurveys::getKey,
                        keyed -> keyed.getSurveys().getDelivered(),
                        keyed -> keyed.getSurveys().getAnswersByScore())
                .containsExactlyInAnyOrder(
                        tuple("named", "support", 1L, List.of(0L, 0L, 0L, 0L, 1L)),
                        tuple("named", "sales", 1L, List.of(0L, 1L, 0L, 0L, 0L)),
                        tuple("none", null, 2L, List.of()));
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    @Test
    void agentsBeyondTheBucketsCapCountInTheOtherRow() {
        int cap = SummarySettings.DEFAULT_MAX_AGENTS_PER_BUCKET;
        for (int i = 0; i < cap + 2; i++) {
            harness.pipe(delivered("survey-" + i, T.plusMillis(i), "agent-" + i, "support", SurveyPath.IN_WINDOW));
        }
        // An agent that already has its row keeps it once the bucket is full; an id too long to keep goes to other.
        harness.pipe(delivered("survey-again", T.plusSeconds(1), "agent-0", "support", SurveyPath.IN_WINDOW));
        harness.pipe(delivered("survey-long", T.plusSeconds(2), "a".repeat(129), "support", SurveyPath.IN_WINDOW));
        harness.settle();

        List<AgentFigures> agents = bucket(T).getAgents();
        assertThat(agents).hasSize(cap + 1);
        assertThat(agents.stream().filter(agent -> agent.getRow().equals("named")))
                .hasSize(cap)
                .noneMatch(agent -> agent.getAgentId().equals("agent-" + cap));
        assertThat(agents)
                .filteredOn(agent -> "agent-0".equals(agent.getAgentId()))
                .singleElement()
                .satisfies(
                        agent -> assertThat(agent.getSurveys().getDelivered()).isEqualTo(2));
        assertThat(agents)
                .filteredOn(agent -> agent.getRow().equals("other"))
                .singleElement()
                .satisfies(agent -> {
                    assertThat(agent.getAgentId()).isNull();
                    assertThat(agent.getSurveys().getDelivered()).isEqualTo(3);
                });
        assertThat(harness.unreadMeasurements()).isEmpty();
    }

    private SummaryBucket bucket(Instant at) {
        return harness.driver()
                .<String, SummaryBucket>getWindowStore(SummaryStream.STORE)
                .fetch(MetaRecords.PHONE_NUMBER_ID, at.toEpochMilli());
    }

    private static SurveyEvent delivered(String surveyId, Instant at, String agentId, String team, SurveyPath path) {
        return SurveyEvent.newBuilder(MetaRecords.surveyDelivered(ANA, surveyId, at, team))
                .setAgentId(agentId)
                .setPath(path)
                .build();
    }

    private static SurveyEvent answered(
            String surveyId, Instant at, int score, String agentId, String team, SurveyPath path) {
        return SurveyEvent.newBuilder(
                        MetaRecords.surveyAnswered(ANA, surveyId, "wamid.answer-" + surveyId, at, score, team))
                .setAgentId(agentId)
                .setPath(path)
                .build();
    }
}
