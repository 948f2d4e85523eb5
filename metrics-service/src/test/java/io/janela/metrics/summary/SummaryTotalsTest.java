package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.janela.metrics.state.SummaryBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Buckets and partials merged into one summary: agents' rows across buckets and instances, older peers. */
class SummaryTotalsTest {

    private static final String PN = "106540352242922";
    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    private static final Duration BUCKET = Duration.ofMinutes(5);

    /** What an instance of the version before agents answered for {@code /metrics/summary/partial} (Jackson). */
    private static final String EARLIER_PARTIAL = """
            {"windowsOpened":1,"openedByFirstTimeContacts":1,"windowsClosed":0,"closedWithReply":0,
             "closedWhileWaiting":0,"expiredWhileWaiting":0,
             "firstResponses":{"count":0,"sumMillis":0,"minMillis":0,"maxMillis":0,"binIndexes":[],"binCounts":[]},
             "headroom":{"count":0,"sumMillis":0,"minMillis":0,"maxMillis":0,"binIndexes":[],"binCounts":[]},
             "responseTimes":{"count":1,"sumMillis":10000,"minMillis":10000,"maxMillis":10000,
                              "binIndexes":[461],"binCounts":[1]},
             "surveysDelivered":2,"surveyAnswersByScore":[0,0,0,1,0]}
            """;

    @Test
    void aPartialFromAnInstanceWithoutAgentRowsStillAddsWhatItHolds() {
        SummaryPartial earlier = JsonMapper.builder().build().readValue(EARLIER_PARTIAL, SummaryPartial.class);
        SummaryTotals totals = new SummaryTotals();
        totals.add(bucket(new SummaryContribution.Response(PN, T, 30_000, "agent-1")));

        totals.add(earlier);

        SummaryReport report = totals.report(PN, T, T.plus(BUCKET), BUCKET, null);
        assertThat(report.windows().opened()).isEqualTo(1);
        assertThat(report.responseTime().count()).isEqualTo(2);
        assertThat(report.csat().delivered()).isEqualTo(2);
        assertThat(report.agents()).singleElement().satisfies(agent -> {
            assertThat(agent.agentId()).isEqualTo("agent-1");
            assertThat(agent.responseTime().count()).isEqualTo(1);
        });
        assertThat(report.csatByPath()).isEmpty();
    }

    @Test
    void anAgentsRowsOfSeveralBucketsAndInstancesAddUpAndTheOtherRowStaysWithAFilter() {
        SummarySettings oneAgent = new SummarySettings(BUCKET, Duration.ofDays(35), 1, 1);
        SummaryBucket full = SummaryBuckets.empty();
        full = SummaryBuckets.add(full, new SummaryContribution.Response(PN, T, 10_000, "agent-2"), oneAgent);
        full = SummaryBuckets.add(full, new SummaryContribution.Response(PN, T, 20_000, "agent-1"), oneAgent);
        SummaryTotals elsewhere = new SummaryTotals();
        elsewhere.add(bucket(new SummaryContribution.Response(PN, T.plus(BUCKET), 40_000, "agent-1")));
        SummaryTotals totals = new SummaryTotals();
        totals.add(full);

        totals.add(elsewhere.partial());

        assertThat(totals.report(PN, T, T.plus(BUCKET.multipliedBy(2)), BUCKET, null)
                        .agents())
                .extracting(
                        SummaryReport.Agent::agentId,
                        SummaryReport.Agent::row,
                        agent -> agent.responseTime().count())
                .containsExactly(
                        tuple("agent-1", "named", 1L), tuple("agent-2", "named", 1L), tuple(null, "other", 1L));
        assertThat(totals.report(PN, T, T.plus(BUCKET.multipliedBy(2)), BUCKET, "agent-1")
                        .agents())
                .extracting(SummaryReport.Agent::agentId, SummaryReport.Agent::row)
                .containsExactly(tuple("agent-1", "named"), tuple(null, "other"));
    }

    @Test
    void aBucketWithoutAgentsGivesNoAgentRows() {
        SummaryTotals totals = new SummaryTotals();
        totals.add(bucket(new SummaryContribution.WindowOpened(PN, T, true)));

        SummaryReport report = totals.report(PN, T, T.plus(BUCKET), BUCKET, null);

        assertThat(report.agents()).isEmpty();
        assertThat(report.csatByTeam()).isEmpty();
        assertThat(report.csat()).isEqualTo(new SummaryReport.Csat(0, 0, List.of(0L, 0L, 0L, 0L, 0L), null, null));
    }

    private static SummaryBucket bucket(SummaryContribution contribution) {
        return SummaryBuckets.add(
                SummaryBuckets.empty(), contribution, new SummarySettings(BUCKET, Duration.ofDays(35)));
    }
}
