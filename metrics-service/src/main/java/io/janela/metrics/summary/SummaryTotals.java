package io.janela.metrics.summary;

import io.janela.metrics.state.AgentFigures;
import io.janela.metrics.state.KeyedSurveys;
import io.janela.metrics.state.SketchState;
import io.janela.metrics.state.SummaryBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The merge of buckets and partials into one summary. Rows (agents, paths, teams) are merged by their kind and name:
 * an agent beyond the cap of some bucket has its own row from the others and its figures of that bucket in
 * {@code other}.
 */
final class SummaryTotals {

    /** A row: its kind ({@code named}, {@code none}, {@code other}) and name (null but for named rows). */
    private record Row(String row, String key) {

        static final Comparator<Row> ORDER = (a, b) -> SummaryRows.order(a.row, a.key, b.row, b.key);

        /** A named row without a name, or a kind this version does not know, counts as {@code other}. */
        static Row of(String row, String key) {
            if (SummaryRows.NAMED.equals(row) && key != null) {
                return new Row(SummaryRows.NAMED, key);
            }
            return new Row(SummaryRows.NONE.equals(row) ? SummaryRows.NONE : SummaryRows.OTHER, null);
        }

        /** Kept by a filter on {@code agentId} (null: every row): that agent's row, and {@code other}. */
        boolean kept(String agentId) {
            return agentId == null || SummaryRows.OTHER.equals(row) || agentId.equals(key);
        }
    }

    /** One agent's figures. */
    private static final class AgentTotals {
        final QuantileSketch responseTimes = new QuantileSketch();
        final QuantileSketch firstResponses = new QuantileSketch();
        final SurveyTotals surveys = new SurveyTotals();
    }

    private long opened;
    private long openedFirstTime;
    private long closed;
    private long closedWithReply;
    private long closedWhileWaiting;
    private long expiredWhileWaiting;
    private final QuantileSketch firstResponses = new QuantileSketch();
    private final QuantileSketch headroom = new QuantileSketch();
    private final QuantileSketch responseTimes = new QuantileSketch();
    private final SurveyTotals surveys = new SurveyTotals();
    private final Map<Row, AgentTotals> agents = new HashMap<>();
    private final Map<Row, SurveyTotals> paths = new HashMap<>();
    private final Map<Row, SurveyTotals> teams = new HashMap<>();

    void add(SummaryBucket bucket) {
        opened += bucket.getWindowsOpened();
        openedFirstTime += bucket.getOpenedByFirstTimeContacts();
        closed += bucket.getWindowsClosed();
        closedWithReply += bucket.getClosedWithReply();
        closedWhileWaiting += bucket.getClosedWhileWaiting();
        expiredWhileWaiting += bucket.getExpiredWhileWaiting();
        firstResponses.merge(bucket.getFirstResponses());
        headroom.merge(bucket.getHeadroom());
        responseTimes.merge(bucket.getResponseTimes());
        surveys.add(bucket.getSurveysDelivered(), bucket.getSurveyAnswersByScore());
        for (AgentFigures figures : bucket.getAgents()) {
            AgentTotals agent =
                    agents.computeIfAbsent(Row.of(figures.getRow(), figures.getAgentId()), row -> new AgentTotals());
            agent.responseTimes.merge(figures.getResponseTimes());
            agent.firstResponses.merge(figures.getFirstResponses());
            agent.surveys.add(
                    figures.getSurveys().getDelivered(), figures.getSurveys().getAnswersByScore());
        }
        addKeyed(paths, bucket.getSurveysByPath());
        addKeyed(teams, bucket.getSurveysByTeam());
    }

    /** Adds another instance's part; one of an earlier version has no rows (null), and adds what it holds. */
    void add(SummaryPartial partial) {
        opened += partial.windowsOpened();
        openedFirstTime += partial.openedByFirstTimeContacts();
        closed += partial.windowsClosed();
        closedWithReply += partial.closedWithReply();
        closedWhileWaiting += partial.closedWhileWaiting();
        expiredWhileWaiting += partial.expiredWhileWaiting();
        merge(firstResponses, partial.firstResponses());
        merge(headroom, partial.headroom());
        merge(responseTimes, partial.responseTimes());
        surveys.add(partial.surveysDelivered(), partial.surveyAnswersByScore());
        for (SummaryPartial.AgentPart part : orEmpty(partial.agents())) {
            AgentTotals agent = agents.computeIfAbsent(Row.of(part.row(), part.agentId()), row -> new AgentTotals());
            merge(agent.responseTimes, part.responseTimes());
            merge(agent.firstResponses, part.firstResponses());
            agent.surveys.add(part.surveysDelivered(), part.surveyAnswersByScore());
        }
        addParts(paths, partial.surveysByPath());
        addParts(teams, partial.surveysByTeam());
    }

    /** This instance's part; with {@code agentId} (null: every agent) only that agent's row and {@code other}. */
    SummaryPartial partial(String agentId) {
        return new SummaryPartial(
                opened,
                openedFirstTime,
                closed,
                closedWithReply,
                closedWhileWaiting,
                expiredWhileWaiting,
                data(firstResponses.toState()),
                data(headroom.toState()),
                data(responseTimes.toState()),
                surveys.delivered(),
                surveys.answersByScore(),
                sorted(
                        agents,
                        agentId,
                        (row, agent) -> new SummaryPartial.AgentPart(
                                row.row(),
                                row.key(),
                                data(agent.responseTimes.toState()),
                                data(agent.firstResponses.toState()),
                                agent.surveys.delivered(),
                                agent.surveys.answersByScore())),
                parts(paths),
                parts(teams));
    }

    SummaryPartial partial() {
        return partial(null);
    }

    /** The summary; with {@code agentId} (null: every agent) only that agent's row and {@code other}. */
    SummaryReport report(String phoneNumberId, Instant from, Instant to, Duration bucket, String agentId) {
        return new SummaryReport(
                phoneNumberId,
                from,
                to,
                bucket.toString(),
                new SummaryReport.Windows(
                        opened,
                        openedFirstTime,
                        opened - openedFirstTime,
                        closed,
                        closedWithReply,
                        closed - closedWithReply,
                        closedWhileWaiting,
                        expiredWhileWaiting),
                closed == 0 ? null : (double) closedWithReply / closed,
                durations(firstResponses),
                durations(headroom),
                durations(responseTimes),
                surveys.csat(),
                sorted(
                        paths,
                        null,
                        (row, totals) ->
                                new SummaryReport.PathCsat(row.key() == null ? "unknown" : row.key(), totals.csat())),
                sorted(teams, null, (row, totals) -> new SummaryReport.TeamCsat(row.key(), row.row(), totals.csat())),
                sorted(
                        agents,
                        agentId,
                        (row, agent) -> new SummaryReport.Agent(
                                row.key(),
                                row.row(),
                                durations(agent.responseTimes),
                                durations(agent.firstResponses),
                                agent.surveys.csat())),
                QuantileSketch.RELATIVE_ACCURACY);
    }

    private interface RowMapper<T, R> {
        R map(Row row, T totals);
    }

    private static <T, R> List<R> sorted(Map<Row, T> rows, String agentId, RowMapper<T, R> mapper) {
        return rows.entrySet().stream()
                .filter(entry -> entry.getKey().kept(agentId))
                .sorted(Map.Entry.comparingByKey(Row.ORDER))
                .map(entry -> mapper.map(entry.getKey(), entry.getValue()))
                .toList();
    }

    private static List<SummaryPartial.SurveyPart> parts(Map<Row, SurveyTotals> rows) {
        return sorted(
                rows,
                null,
                (row, totals) -> new SummaryPartial.SurveyPart(
                        row.row(), row.key(), totals.delivered(), totals.answersByScore()));
    }

    private static void addKeyed(Map<Row, SurveyTotals> rows, List<KeyedSurveys> keyed) {
        for (KeyedSurveys surveys : keyed) {
            rows.computeIfAbsent(Row.of(surveys.getRow(), surveys.getKey()), row -> new SurveyTotals())
                    .add(
                            surveys.getSurveys().getDelivered(),
                            surveys.getSurveys().getAnswersByScore());
        }
    }

    private static void addParts(Map<Row, SurveyTotals> rows, List<SummaryPartial.SurveyPart> parts) {
        for (SummaryPartial.SurveyPart part : orEmpty(parts)) {
            rows.computeIfAbsent(Row.of(part.row(), part.key()), row -> new SurveyTotals())
                    .add(part.delivered(), part.answersByScore());
        }
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static void merge(QuantileSketch sketch, SummaryPartial.Sketch data) {
        if (data != null) {
            sketch.merge(state(data));
        }
    }

    private static SummaryReport.Durations durations(QuantileSketch sketch) {
        if (sketch.count() == 0) {
            return new SummaryReport.Durations(0, null, null, null, null, null);
        }
        return new SummaryReport.Durations(
                sketch.count(),
                seconds((double) sketch.sum() / sketch.count()),
                seconds(sketch.quantile(0.5)),
                seconds(sketch.quantile(0.9)),
                seconds(sketch.quantile(0.99)),
                seconds(sketch.quantile(1.0)));
    }

    private static Double seconds(double millis) {
        return millis / 1000.0;
    }

    private static SummaryPartial.Sketch data(SketchState state) {
        return new SummaryPartial.Sketch(
                state.getCount(),
                state.getSumMillis(),
                state.getMinMillis(),
                state.getMaxMillis(),
                state.getBinIndexes(),
                state.getBinCounts());
    }

    private static SketchState state(SummaryPartial.Sketch data) {
        return new SketchState(
                data.count(),
                data.sumMillis(),
                data.minMillis(),
                data.maxMillis(),
                orEmpty(data.binIndexes()),
                orEmpty(data.binCounts()));
    }
}
