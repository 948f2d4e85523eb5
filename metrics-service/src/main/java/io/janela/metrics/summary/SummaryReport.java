package io.janela.metrics.summary;

import java.time.Instant;

/**
 * The answer of {@code GET /metrics/summary}: what one business phone number's measurements say over a range.
 *
 * @param from the start of the range covered, rounded down to a bucket
 * @param to the end of the range covered (exclusive), rounded up to a bucket
 * @param bucket the bucket size, ISO-8601 (PT5M)
 * @param responseRate windows closed with a business reply ÷ windows closed; null when none closed
 * @param quantileRelativeError quantiles are within this fraction (or 1 ms) of the exact nearest-rank value
 */
public record SummaryReport(
        String phoneNumberId,
        Instant from,
        Instant to,
        String bucket,
        Windows windows,
        Double responseRate,
        Durations firstResponse,
        Durations firstResponseHeadroom,
        Durations responseTime,
        double quantileRelativeError) {

    /** Windows opened and closed in the range (by when they opened and when they closed). */
    public record Windows(
            long opened,
            long openedByFirstTimeContacts,
            long openedByReturningContacts,
            long closed,
            long closedWithReply,
            long closedWithoutReply,
            long closedWhileCustomerWaiting,
            long expiredWhileCustomerWaiting) {}

    /** Durations measured in the range, in seconds; the quantiles are null when there is none. */
    public record Durations(
            long count,
            Double meanSeconds,
            Double p50Seconds,
            Double p90Seconds,
            Double p99Seconds,
            Double maxSeconds) {}
}
