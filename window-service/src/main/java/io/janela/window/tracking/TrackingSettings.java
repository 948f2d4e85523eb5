package io.janela.window.tracking;

import io.janela.streams.DeadlineRebuild;
import io.janela.window.rules.WindowPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How the window topology runs.
 *
 * @param policy the window rules' numbers
 * @param punctuationInterval how often the wall-clock punctuator looks for due deadlines; a window closes at most
 *     this long after its expiry (plus the commit)
 * @param maxDeadlinesPerPunctuation how many deadlines one punctuation acts on at most. When more are due (100,000
 *     windows expiring in the same second), the punctuator comes back on every pass of the stream thread's loop
 *     until the backlog is gone, so that records keep flowing and each transaction stays small
 * @param maxClockSkew how far in the future a Meta timestamp may be before the record is refused as invalid
 * @param indexRebuild how a starting task's deadline index rebuild shares the stream thread with its records
 *     ({@code janela.window.deadline-rebuild.*})
 */
public record TrackingSettings(
        WindowPolicy policy,
        Duration punctuationInterval,
        int maxDeadlinesPerPunctuation,
        Duration maxClockSkew,
        DeadlineRebuild.Pace indexRebuild) {

    public TrackingSettings {
        Objects.requireNonNull(policy, "policy");
        if (punctuationInterval == null || punctuationInterval.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "the punctuation interval must be at least 1 ms: " + punctuationInterval);
        }
        if (maxDeadlinesPerPunctuation < 1) {
            throw new IllegalArgumentException(
                    "at least one deadline per punctuation is needed: " + maxDeadlinesPerPunctuation);
        }
        if (maxClockSkew == null || maxClockSkew.isNegative()) {
            throw new IllegalArgumentException("the clock skew allowance cannot be negative: " + maxClockSkew);
        }
        Objects.requireNonNull(indexRebuild, "indexRebuild");
    }
}
