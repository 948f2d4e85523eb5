package io.janela.metrics.summary;

import java.util.List;

/**
 * What one instance's tasks hold of a phone number's summary over a range: sums and mergeable sketches. The summary
 * endpoint adds up the partials of every instance ({@code GET /metrics/summary/partial} serves this one's). A partial
 * from an instance of an earlier version lacks the per-agent, per-path and per-team rows (null): it adds what it
 * holds.
 *
 * @param agents per-agent rows ({@link AgentPart}); with an {@code agentId} filter, that agent's and {@code other}
 * @param surveysByPath surveys by path ({@code in_window}, {@code template}, {@code unknown})
 * @param surveysByTeam surveys by the team credited ({@code named}, {@code none}, {@code other} rows)
 */
record SummaryPartial(
        long windowsOpened,
        long openedByFirstTimeContacts,
        long windowsClosed,
        long closedWithReply,
        long closedWhileWaiting,
        long expiredWhileWaiting,
        Sketch firstResponses,
        Sketch headroom,
        Sketch responseTimes,
        long surveysDelivered,
        List<Long> surveyAnswersByScore,
        List<AgentPart> agents,
        List<SurveyPart> surveysByPath,
        List<SurveyPart> surveysByTeam) {

    /** A {@link QuantileSketch} as data. */
    public record Sketch(
            long count,
            long sumMillis,
            long minMillis,
            long maxMillis,
            List<Integer> binIndexes,
            List<Long> binCounts) {}

    /**
     * One agent's row: {@code row} {@code named} (with {@code agentId}), {@code none} (answers and surveys that named
     * no agent) or {@code other} (agents beyond a bucket's cap).
     */
    public record AgentPart(
            String row,
            String agentId,
            Sketch responseTimes,
            Sketch firstResponses,
            long surveysDelivered,
            List<Long> surveyAnswersByScore) {}

    /** Surveys of one path or team: {@code row} {@code named} (with {@code key}), {@code none} or {@code other}. */
    public record SurveyPart(String row, String key, long delivered, List<Long> answersByScore) {}
}
