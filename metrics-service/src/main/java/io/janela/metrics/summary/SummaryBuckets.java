package io.janela.metrics.summary;

import io.janela.metrics.state.SketchState;
import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.state.SummaryContribution;

/** Adding a contribution to a bucket, and merging buckets into a range. */
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
        if (contribution.getWindowOpened()) {
            next.setWindowsOpened(bucket.getWindowsOpened() + 1);
            if (contribution.getFirstTimeContact()) {
                next.setOpenedByFirstTimeContacts(bucket.getOpenedByFirstTimeContacts() + 1);
            }
        }
        if (contribution.getWindowClosed()) {
            next.setWindowsClosed(bucket.getWindowsClosed() + 1);
            if (contribution.getReplied()) {
                next.setClosedWithReply(bucket.getClosedWithReply() + 1);
            }
            if (contribution.getCustomerWaiting()) {
                next.setClosedWhileWaiting(bucket.getClosedWhileWaiting() + 1);
            }
            if (contribution.getExpiredWhileWaiting()) {
                next.setExpiredWhileWaiting(bucket.getExpiredWhileWaiting() + 1);
            }
        }
        if (contribution.getFirstResponseMillis() != null) {
            next.setFirstResponses(added(bucket.getFirstResponses(), contribution.getFirstResponseMillis()));
        }
        if (contribution.getHeadroomMillis() != null) {
            next.setHeadroom(added(bucket.getHeadroom(), contribution.getHeadroomMillis()));
        }
        if (contribution.getResponseTimeMillis() != null) {
            next.setResponseTimes(added(bucket.getResponseTimes(), contribution.getResponseTimeMillis()));
        }
        return next.build();
    }

    private static SketchState added(SketchState state, long millis) {
        QuantileSketch sketch = QuantileSketch.of(state);
        sketch.add(millis);
        return sketch.toState();
    }
}
