package io.janela.metrics.summary;

import java.util.List;

/**
 * What one instance's tasks hold of a phone number's summary over a range: sums and mergeable sketches. The summary
 * endpoint adds up the partials of every instance ({@code GET /metrics/summary/partial} serves this one's).
 */
public record SummaryPartial(
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
        List<Long> surveyAnswersByScore) {

    /** A {@link QuantileSketch} as data. */
    public record Sketch(
            long count,
            long sumMillis,
            long minMillis,
            long maxMillis,
            List<Integer> binIndexes,
            List<Long> binCounts) {}
}
