package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import io.janela.metrics.state.SummaryBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON of {@code GET /metrics/summary} and of the part a peer answers, as the endpoints write them (Jackson 3 over
 * the records), for one bucket holding two agents' answers and surveys and an answer that named no agent.
 */
class SummaryReportJsonTest {

    private static final String PN = "106540352242922";
    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    private static final Duration BUCKET = Duration.ofMinutes(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theSummaryGivesEachAgentsResponsesFirstResponsesAndCsatAndCsatByPathAndTeam() {
        DocumentContext json = JsonPath.parse(JSON.writeValueAsString(report(null)));

        assertThat(json.<Integer>read("$.responseTime.count")).isEqualTo(4);
        assertThat(json.<List<String>>read("$.agents[*].agentId")).containsExactly("agent-1", "agent-2", null);
        assertThat(json.<List<String>>read("$.agents[*].row")).containsExactly("named", "named", "none");
        Map<String, Object> first = json.read("$.agents[0]");
        assertThat(first).containsOnlyKeys("agentId", "row", "responseTime", "firstResponse", "csat");
        assertThat(json.<Integer>read("$.agents[0].responseTime.count")).isEqualTo(2);
        assertThat(json.<Double>read("$.agents[0].responseTime.meanSeconds")).isEqualTo(31.0);
        assertThat(json.<Double>read("$.agents[0].responseTime.p50Seconds")).isCloseTo(20.0, within(0.2));
        assertThat(json.<Double>read("$.agents[0].responseTime.p90Seconds")).isCloseTo(42.0, within(0.42));
        assertThat(json.<Integer>read("$.agents[0].firstResponse.count")).isEqualTo(1);
        assertThat(json.<Map<String, Object>>read("$.agents[0].csat"))
                .containsEntry("delivered", 1)
                .containsEntry("responses", 1)
                .containsEntry("score", 1.0)
                .containsEntry("responseRate", 1.0);
        assertThat(json.<Integer>read("$.agents[1].responseTime.count")).isZero();
        assertThat(json.<Object>read("$.agents[1].responseTime.p50Seconds")).isNull();
        assertThat(json.<Double>read("$.agents[1].csat.score")).isEqualTo(0.0);
        assertThat(json.<Double>read("$.agents[1].csat.responseRate")).isEqualTo(0.5);
        assertThat(json.<Integer>read("$.agents[2].responseTime.count")).isEqualTo(2);
        assertThat(json.<List<String>>read("$.csatByPath[*].path")).containsExactly("in_window", "template");
        assertThat(json.<Double>read("$.csatByPath[0].csat.score")).isEqualTo(1.0);
        assertThat(json.<Integer>read("$.csatByPath[1].csat.delivered")).isEqualTo(2);
        assertThat(json.<List<String>>read("$.csatByTeam[*].team")).containsExactly("support", null);
        assertThat(json.<List<String>>read("$.csatByTeam[*].row")).containsExactly("named", "none");
        assertThat(json.<List<Integer>>read("$.csatByTeam[1].csat.responsesByScore"))
                .containsExactly(0, 1, 0, 0, 0);
    }

    @Test
    void anAgentIdGivesThatAgentsRowOnlyAndLeavesTheNumbersFiguresWhole() {
        DocumentContext json = JsonPath.parse(JSON.writeValueAsString(report("agent-2")));

        assertThat(json.<List<String>>read("$.agents[*].agentId")).containsExactly("agent-2");
        assertThat(json.<Integer>read("$.responseTime.count")).isEqualTo(4);
        assertThat(json.<List<String>>read("$.csatByTeam[*].row")).containsExactly("named", "none");
    }

    @Test
    void aPeersPartCarriesTheAgentsRowsAndReadsBackWhole() {
        SummaryTotals totals = new SummaryTotals();
        totals.add(bucket());
        String json = JSON.writeValueAsString(SummaryQuery.forAgent(totals.partial(), "agent-1"));

        SummaryPartial part = JSON.readValue(json, SummaryPartial.class);

        assertThat(part.agents()).singleElement().satisfies(agent -> {
            assertThat(agent.agentId()).isEqualTo("agent-1");
            assertThat(agent.responseTimes().count()).isEqualTo(2);
            assertThat(agent.firstResponses().count()).isEqualTo(1);
            assertThat(agent.surveyAnswersByScore()).containsExactly(0L, 0L, 0L, 0L, 1L);
        });
        assertThat(part.surveysByPath()).hasSize(2);
        assertThat(part.surveysByTeam()).hasSize(2);
        SummaryTotals merged = new SummaryTotals();
        merged.add(part);
        assertThat(merged.report(PN, T, T.plus(BUCKET), BUCKET, null).csatByTeam())
                .isEqualTo(totals.report(PN, T, T.plus(BUCKET), BUCKET, null).csatByTeam());
    }

    private static SummaryReport report(String agentId) {
        SummaryTotals totals = new SummaryTotals();
        totals.add(bucket());
        return totals.report(PN, T, T.plus(BUCKET), BUCKET, agentId);
    }

    private static SummaryBucket bucket() {
        SummarySettings settings = new SummarySettings(BUCKET, Duration.ofDays(35));
        SummaryBucket bucket = SummaryBuckets.empty();
        for (SummaryContribution contribution : List.<SummaryContribution>of(
                new SummaryContribution.FirstResponse(PN, T, 42_000, 86_000_000, "agent-1"),
                new SummaryContribution.Response(PN, T, 42_000, "agent-1"),
                new SummaryContribution.Response(PN, T, 20_000, "agent-1"),
                new SummaryContribution.Response(PN, T, 5_000, null),
                new SummaryContribution.Response(PN, T, 6_000, ""),
                new SummaryContribution.Survey(PN, T, null, "agent-1", "support", "in_window"),
                new SummaryContribution.Survey(PN, T, 5, "agent-1", "support", "in_window"),
                new SummaryContribution.Survey(PN, T, null, "agent-2", null, "template"),
                new SummaryContribution.Survey(PN, T, null, "agent-2", null, "template"),
                new SummaryContribution.Survey(PN, T, 2, "agent-2", null, "template"))) {
            bucket = SummaryBuckets.add(bucket, contribution, settings);
        }
        return bucket;
    }
}
