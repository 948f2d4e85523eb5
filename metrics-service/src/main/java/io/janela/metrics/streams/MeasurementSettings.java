package io.janela.metrics.streams;

import io.janela.streams.DeadlineRebuild;
import java.time.Duration;
import java.util.Objects;

/**
 * How the measurement processors wait, remember and forget.
 *
 * @param settleDelay how long a measurement waits, after the last record it depends on arrived, for records that
 *     arrive out of order; 0 emits at once
 * @param timelineHorizon how much of a contact's timeline (in event time, before its latest event) is kept
 * @param maxTimelineEntries at most this many customer and business messages per contact
 * @param stateRetention state that has not changed for this long (processing time) is dropped
 * @param punctuationInterval how often due deadlines are looked for (wall clock)
 * @param maxDuePerPunctuation at most this many deadlines handled per punctuation, so that one cannot stall a task
 * @param stateCacheEntries decoded states each processor keeps in memory (per task), to spare decoding them again
 * @param reopenWithin a customer message this soon after a resolution (whatsapp.conversation-resolutions) reopens it
 * @param indexRebuild how a starting task's deadline index rebuild shares the stream thread with its records
 *     ({@code janela.metrics.deadline-rebuild.*})
 */
public record MeasurementSettings(
        Duration settleDelay,
        Duration timelineHorizon,
        int maxTimelineEntries,
        Duration stateRetention,
        Duration punctuationInterval,
        int maxDuePerPunctuation,
        int stateCacheEntries,
        Duration reopenWithin,
        DeadlineRebuild.Pace indexRebuild) {

    /** Customers who write again within a day of a resolution reopen it, unless configured otherwise. */
    public static final Duration DEFAULT_REOPEN_WITHIN = Duration.ofHours(24);

    /** With the default reopen time and index rebuild pace: the service's defaults, for tests and benchmarks. */
    public MeasurementSettings(
            Duration settleDelay,
            Duration timelineHorizon,
            int maxTimelineEntries,
            Duration stateRetention,
            Duration punctuationInterval,
            int maxDuePerPunctuation,
            int stateCacheEntries) {
        this(
                settleDelay,
                timelineHorizon,
                maxTimelineEntries,
                stateRetention,
                punctuationInterval,
                maxDuePerPunctuation,
                stateCacheEntries,
                DEFAULT_REOPEN_WITHIN,
                DeadlineRebuild.Pace.DEFAULT);
    }

    public MeasurementSettings {
        Objects.requireNonNull(settleDelay, "settleDelay");
        Objects.requireNonNull(timelineHorizon, "timelineHorizon");
        Objects.requireNonNull(stateRetention, "stateRetention");
        Objects.requireNonNull(punctuationInterval, "punctuationInterval");
        Objects.requireNonNull(reopenWithin, "reopenWithin");
        Objects.requireNonNull(indexRebuild, "indexRebuild");
        if (!reopenWithin.isPositive() || reopenWithin.compareTo(timelineHorizon) >= 0) {
            // The customer messages that may reopen a resolution must still be in the timeline when it settles.
            throw new IllegalArgumentException("reopen-within must be positive and shorter than timeline-horizon");
        }
        if (settleDelay.isNegative()) {
            throw new IllegalArgumentException("settleDelay must not be negative");
        }
        if (maxTimelineEntries < 2 || maxDuePerPunctuation < 1 || stateCacheEntries < 0) {
            throw new IllegalArgumentException(
                    "maxTimelineEntries >= 2, maxDuePerPunctuation >= 1 and stateCacheEntries >= 0");
        }
    }
}
