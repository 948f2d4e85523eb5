package io.janela.metrics.summary;

import io.janela.metrics.state.SketchState;
import io.janela.metrics.state.SummaryBucket;
import java.util.ArrayList;
import java.util.List;

/** Adding a contribution to a bucket. */
final class SummaryBuckets {

    private SummaryBuckets() {}

    static SummaryBucket empty() {
        return SummaryBucket.newBuilder()
                .setFirstResponses(QuantileSketch.emptyState())
                .setHeadroom(QuantileSketch.emptyState())
                .setResponseTimes(QuantileSketch.emptyState())
                .build();
    }

    static SummaryBucket add(SummaryBucket bucket, SummaryContribution contribution) {
        SummaryBucket.Builder next = SummaryBucket.newBuilder(bucket);
        if (contribution.windowOpened()) {
            next.setWindowsOpened(bucket.getWindowsOpened() + 1);
            if (contribution.firstTimeContact()) {
                next.setOpenedByFirstTimeContacts(bucket.getOpenedByFirstTimeContacts() + 1);
            }
        }
        if (contribution.windowClosed()) {
            next.setWindowsClosed(bucket.getWindowsClosed() + 1);
            if (contribution.replied()) {
                next.setClosedWithReply(bucket.getClosedWithReply() + 1);
            }
            if (contribution.customerWaiting()) {
                next.setClosedWhileWaiting(bucket.getClosedWhileWaiting() + 1);
            }
            if (contribution.expiredWhileWaiting()) {
                next.setExpiredWhileWaiting(bucket.getExpiredWhileWaiting() + 1);
            }
        }
        if (contribution.firstResponseMillis() != null) {
            next.setFirstResponses(added(bucket.getFirstResponses(), contribution.firstResponseMillis()));
        }
        if (contribution.headroomMillis() != null) {
            next.setHeadroom(added(bucket.getHeadroom(), contribution.headroomMillis()));
        }
        if (contribution.responseTimeMillis() != null) {
            next.setResponseTimes(added(bucket.getResponseTimes(), contribution.responseTimeMillis()));
        }
        if (contribution.surveyDelivered()) {
            next.setSurveysDelivered(bucket.getSurveysDelivered() + 1);
        }
        if (contribution.surveyScore() != null) {
            List<Long> scores = new ArrayList<>(bucket.getSurveyAnswersByScore());
            while (scores.size() < 5) {
                scores.add(0L);
            }
            int index = contribution.surveyScore() - 1;
            scores.set(index, scores.get(index) + 1);
            next.setSurveyAnswersByScore(scores);
        }
        return next.build();
    }

    private static SketchState added(SketchState state, long millis) {
        QuantileSketch sketch = QuantileSketch.of(state);
        sketch.add(millis);
        return sketch.toState();
    }
}
