package io.janela.metrics.summary;

import java.time.Duration;
import java.util.Objects;

/**
 * How the summary store buckets and keeps measurements.
 *
 * @param bucket the time bucket: a summary range is rounded out to whole buckets
 * @param retention how long buckets are kept (event time); also the longest range a summary may ask for
 */
public record SummarySettings(Duration bucket, Duration retention) {

    public SummarySettings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(retention, "retention");
        if (bucket.isNegative() || bucket.isZero() || retention.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("the bucket must be positive and the retention at least one bucket");
        }
    }
}
