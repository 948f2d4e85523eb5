package io.janela.metrics.summary;

import io.janela.metrics.state.AgentFigures;
import io.janela.metrics.state.KeyedSurveys;
import io.janela.metrics.state.SketchState;
import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.state.SurveyCounts;
import java.util.ArrayList;
import java.util.List;

/** Adding a contribution to a bucket. */
final class SummaryBuckets {

    private SummaryBuckets() {}

    /**
     * An empty bucket. Its lists are set here rather than taken from the schema's defaults: resolving a default list of
     * records loads their class through Avro's class validator, which trusts Janela's classes only once a serde has
     * been configured.
     */
    static SummaryBucket empty() {
        return SummaryBucket.newBuilder()
                .setFirstResponses(QuantileSketch.emptyState())
                .setHeadroom(QuantileSketch.emptyState())
                .setResponseTimes(QuantileSketch.emptyState())
                .setSurveyAnswersByScore(new ArrayList<>())
                .setAgents(new ArrayList<>())
                .setSurveysByPath(new ArrayList<>())
                .setSurveysByTeam(new ArrayList<>())
                .build();
    }

    /** Adds a contribution to {@code bucket} (changed in place, as read from the store) and returns it. */
    static SummaryBucket add(SummaryBucket bucket, SummaryContribution contribution, SummarySettings settings) {
        switch (contribution) {
            case SummaryContribution.WindowOpened opened -> {
                bucket.setWindowsOpened(bucket.getWindowsOpened() + 1);
                if (opened.firstTimeContact()) {
                    bucket.setOpenedByFirstTimeContacts(bucket.getOpenedByFirstTimeContacts() + 1);
                }
            }
            case SummaryContribution.WindowClosed closed -> {
                bucket.setWindowsClosed(bucket.getWindowsClosed() + 1);
                if (closed.replied()) {
                    bucket.setClosedWithReply(bucket.getClosedWithReply() + 1);
                }
                if (closed.customerWaiting()) {
                    bucket.setClosedWhileWaiting(bucket.getClosedWhileWaiting() + 1);
                }
                if (closed.expiredWhileWaiting()) {
                    bucket.setExpiredWhileWaiting(bucket.getExpiredWhileWaiting() + 1);
                }
            }
            case SummaryContribution.FirstResponse first -> {
                bucket.setFirstResponses(added(bucket.getFirstResponses(), first.millis()));
                bucket.setHeadroom(added(bucket.getHeadroom(), first.headroomMillis()));
                AgentFigures agent = agent(bucket, first.agentId(), settings);
                agent.setFirstResponses(added(agent.getFirstResponses(), first.millis()));
            }
            case SummaryContribution.Response response -> {
                bucket.setResponseTimes(added(bucket.getResponseTimes(), response.millis()));
                AgentFigures agent = agent(bucket, response.agentId(), settings);
                agent.setResponseTimes(added(agent.getResponseTimes(), response.millis()));
            }
            case SummaryContribution.Survey survey -> {
                if (survey.delivered()) {
                    bucket.setSurveysDelivered(bucket.getSurveysDelivered() + 1);
                } else {
                    bucket.setSurveyAnswersByScore(scored(bucket.getSurveyAnswersByScore(), survey.score()));
                }
                count(agent(bucket, survey.agentId(), settings).getSurveys(), survey);
                List<KeyedSurveys> paths = new ArrayList<>(bucket.getSurveysByPath());
                count(keyed(paths, survey.path(), Integer.MAX_VALUE).getSurveys(), survey);
                bucket.setSurveysByPath(paths);
                List<KeyedSurveys> teams = new ArrayList<>(bucket.getSurveysByTeam());
                count(keyed(teams, survey.team(), settings.maxTeamsPerBucket()).getSurveys(), survey);
                bucket.setSurveysByTeam(teams);
            }
        }
        return bucket;
    }

    /** The agent's row of the bucket (its own while the bucket has room, else {@code other}; {@code none}). */
    private static AgentFigures agent(SummaryBucket bucket, String agentId, SummarySettings settings) {
        List<AgentFigures> agents = new ArrayList<>(bucket.getAgents());
        AgentFigures row = SummaryRows.rowFor(
                agents,
                agentId,
                settings.maxAgentsPerBucket(),
                AgentFigures::getRow,
                AgentFigures::getAgentId,
                (kind, id) -> AgentFigures.newBuilder()
                        .setRow(kind)
                        .setAgentId(id)
                        .setResponseTimes(QuantileSketch.emptyState())
                        .setFirstResponses(QuantileSketch.emptyState())
                        .setSurveys(noSurveys())
                        .build());
        bucket.setAgents(agents);
        return row;
    }

    private static KeyedSurveys keyed(List<KeyedSurveys> rows, String key, int maxNamed) {
        return SummaryRows.rowFor(
                rows,
                key,
                maxNamed,
                KeyedSurveys::getRow,
                KeyedSurveys::getKey,
                (kind, name) -> KeyedSurveys.newBuilder()
                        .setRow(kind)
                        .setKey(name)
                        .setSurveys(noSurveys())
                        .build());
    }

    private static SurveyCounts noSurveys() {
        return new SurveyCounts(0L, new ArrayList<>());
    }

    private static void count(SurveyCounts counts, SummaryContribution.Survey survey) {
        if (survey.delivered()) {
            counts.setDelivered(counts.getDelivered() + 1);
        } else {
            counts.setAnswersByScore(scored(counts.getAnswersByScore(), survey.score()));
        }
    }

    /** Answers by score (index 0 counts 1) with one more answer of {@code score}. */
    private static List<Long> scored(List<Long> byScore, int score) {
        List<Long> scores = new ArrayList<>(byScore);
        while (scores.size() < 5) {
            scores.add(0L);
        }
        scores.set(score - 1, scores.get(score - 1) + 1);
        return scores;
    }

    private static SketchState added(SketchState state, long millis) {
        QuantileSketch sketch = QuantileSketch.of(state);
        sketch.add(millis);
        return sketch.toState();
    }
}
