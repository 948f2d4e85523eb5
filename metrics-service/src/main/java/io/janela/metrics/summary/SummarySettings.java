package io.janela.metrics.summary;

import java.time.Duration;
import java.util.Objects;

/**
 * How the summary store buckets and keeps measurements.
 *
 * @param bucket the time bucket: a summary range is rounded out to whole buckets
 * @param retention how long buckets are kept (event time); also the longest range a summary may ask for
 * @param maxAgentsPerBucket agents kept by id per bucket; answers and surveys of agents beyond them count in the
 *     bucket's {@code other} row
 * @param maxTeamsPerBucket teams kept by name per bucket for the surveys; beyond them, the {@code other} row
 */
public record SummarySettings(Duration bucket, Duration retention, int maxAgentsPerBucket, int maxTeamsPerBucket) {

    public static final int DEFAULT_MAX_AGENTS_PER_BUCKET = 100;
    public static final int DEFAULT_MAX_TEAMS_PER_BUCKET = 20;

    public SummarySettings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(retention, "retention");
        if (bucket.isNegative() || bucket.isZero() || retention.compareTo(bucket) < 0) {
            throw new IllegalArgumentException("the bucket must be positive and the retention at least one bucket");
        }
        if (maxAgentsPerBucket < 1 || maxTeamsPerBucket < 1) {
            throw new IllegalArgumentException("a bucket must keep at least one agent and one team");
        }
    }

    /** With the default caps on agents and teams per bucket. */
    public SummarySettings(Duration bucket, Duration retention) {
        this(bucket, retention, DEFAULT_MAX_AGENTS_PER_BUCKET, DEFAULT_MAX_TEAMS_PER_BUCKET);
    }
}
