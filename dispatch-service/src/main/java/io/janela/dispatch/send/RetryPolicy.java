package io.janela.dispatch.send;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Pauses before trying a send again: exponential backoff with full jitter (a random pause between zero and
 * {@code initial × 2^(n-1)}, capped), so that many senders retrying at once spread out; at least
 * {@code downtimeBackoff} after Meta's downtime error; and 4^x seconds (1, 4, 16, 64...) after the x-th pair rate
 * limit answer for a contact, as Meta prescribes.
 */
final class RetryPolicy {

    private final Duration initial;
    private final Duration max;
    private final Duration downtime;
    private final RandomGenerator random;

    RetryPolicy(Duration initial, Duration max, Duration downtime, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.downtime = downtime;
        this.random = random;
    }

    /** The pause before retry number {@code retry} (1 for the first retry). */
    Duration backoff(int retry, ErrorClass errorClass) {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(30, retry - 1));
        Duration jittered = Duration.ofMillis(ceiling <= 0 ? 0 : random.nextLong(ceiling + 1));
        return errorClass == ErrorClass.DOWNTIME && jittered.compareTo(downtime) < 0 ? downtime : jittered;
    }

    /** The wait after the {@code waits}-th 131056 answer (1 for the first): 4^(waits-1) seconds. */
    static Duration pairLimitWait(int waits) {
        return Duration.ofSeconds((long) Math.pow(4, Math.max(0, waits - 1)));
    }
}
