package io.janela.metrics.summary;

import io.janela.metrics.state.SketchState;
import io.janela.metrics.state.SummaryBucket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The merge of buckets and partials into one summary. */
final class SummaryTotals {

    private long opened;
    private long openedFirstTime;
    private long closed;
    private long closedWithReply;
    private long closedWhileWaiting;
    private long expiredWhileWaiting;
    private final QuantileSketch firstResponses = new QuantileSketch();
    private final QuantileSketch headroom = new QuantileSketch();
    private final QuantileSketch responseTimes = new QuantileSketch();
    private long surveysDelivered;
    private final long[] surveyScores = new long[5];

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
        surveysDelivered += bucket.getSurveysDelivered();
        addScores(bucket.getSurveyAnswersByScore());
    }

    void add(SummaryPartial partial) {
        opened += partial.windowsOpened();
        openedFirstTime += partial.openedByFirstTimeContacts();
        closed += partial.windowsClosed();
        closedWithReply += partial.closedWithReply();
        closedWhileWaiting += partial.closedWhileWaiting();
        expiredWhileWaiting += partial.expiredWhileWaiting();
        firstResponses.merge(state(partial.firstResponses()));
        headroom.merge(state(partial.headroom()));
        responseTimes.merge(state(partial.responseTimes()));
        surveysDelivered += partial.surveysDelivered();
        addScores(partial.surveyAnswersByScore());
    }

    /** Adds answers by score (index 0 counts 1); null or short lists (an older bucket or peer) add what they hold. */
    private void addScores(List<Long> scores) {
        if (scores == null) {
            return;
        }
        for (int i = 0; i < Math.min(scores.size(), surveyScores.length); i++) {
            surveyScores[i] += scores.get(i);
        }
    }

    private List<Long> scores() {
        List<Long> scores = new ArrayList<>();
        for (long score : surveyScores) {
            scores.add(score);
        }
        return scores;
    }

    SummaryPartial partial() {
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
                surveysDelivered,
                scores());
    }

    SummaryReport report(String phoneNumberId, Instant from, Instant to, Duration bucket) {
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
                csat(),
                QuantileSketch.RELATIVE_ACCURACY);
    }

    private SummaryReport.Csat csat() {
        long answers = 0;
        for (long score : surveyScores) {
            answers += score;
        }
        long satisfied = surveyScores[3] + surveyScores[4];
        return new SummaryReport.Csat(
                surveysDelivered,
                answers,
                scores(),
                answers == 0 ? null : (double) satisfied / answers,
                surveysDelivered == 0 ? null : (double) answers / surveysDelivered);
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
                data.binIndexes(),
                data.binCounts());
    }
}
