package io.janela.dispatch.send;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Lowers a business number's pace when Meta refuses one of its calls with 130429, and raises it back slowly while Meta
 * refuses none: each overrun takes {@code step} of the number's rate off (down to {@code floor} of it), each
 * {@code recoverEvery} without one gives half a step back, up to the whole rate.
 *
 * <p>Why: the pacer guarantees that no second of departures holds more than the limit, but Meta counts arrivals. A
 * receiver whose intake delays one call by more than the pacer's 5 ms guard counts it with calls that left over a
 * second later (measured against the sandbox even on a quiet machine: 15–34 ms, so 9–11 refusals per 2,400 sends at
 * 80/s), and no pacing at departure can see that. A refusal is the only evidence of Meta's side there is, so the pace
 * follows it: a few percent of the rate for a margin the receiver proved it needs, given back while it stays quiet.
 * A refused call that started before the last cut was paced at the old rate and says nothing about the new one: the
 * calls refused together are one overrun, however late their answers come. A refusal just after a step back is
 * counted (that step is the likeliest cause). A {@code step} of 0 turns this off. Single-threaded: the send loop owns
 * it.
 */
final class RateBackoff {

    /** Meta's error for a number's throughput exceeded (WHATSAPP.md §6.1). */
    static final int THROUGHPUT_REACHED = 130429;

    private final double step;
    private final double floor;
    private final Duration recoverEvery;
    private final Map<String, Lowered> lowered = new HashMap<>();

    /**
     * @param factor the share of its rate the number is paced at
     * @param cutAt when it was last lowered: calls started before were paced at the old rate
     * @param quietSince when the quiet period before the next step back began (the last cut, refusal or step back)
     */
    private record Lowered(double factor, Instant cutAt, Instant quietSince) {}

    /**
     * @param step the share of a number's rate one overrun takes off (0 turns the back-off off)
     * @param floor the lowest share of its rate a number is paced at
     * @param recoverEvery how long without a refusal before half a step is given back
     */
    RateBackoff(double step, double floor, Duration recoverEvery) {
        this.step = step;
        this.floor = floor;
        this.recoverEvery = recoverEvery;
    }

    /** A back-off that never lowers anything. */
    static RateBackoff none() {
        return new RateBackoff(0, 1, Duration.ofDays(1));
    }

    /** The share of its rate a number is paced at now (1 unless Meta refused it lately). */
    double factor(String phoneNumberId) {
        Lowered current = lowered.get(phoneNumberId);
        return current == null ? 1.0 : current.factor();
    }

    /**
     * Meta refused a call of this number with 130429 at {@code now}, a call started at {@code callStarted}; whether its
     * pace was lowered.
     */
    boolean refused(String phoneNumberId, Instant callStarted, Instant now) {
        if (step <= 0) {
            return false;
        }
        Lowered current = lowered.get(phoneNumberId);
        if (current != null && callStarted.isBefore(current.cutAt())) {
            return false; // paced at the rate before the last cut: part of the overrun that cut it
        }
        double from = current == null ? 1.0 : current.factor();
        double to = Math.max(floor, from - step);
        if (to >= from) {
            // at the floor: no lower, but the quiet period starts again
            lowered.put(phoneNumberId, new Lowered(from, current.cutAt(), now));
            return false;
        }
        lowered.put(phoneNumberId, new Lowered(to, now, now));
        return true;
    }

    /** Gives half a step back to each number that went {@code recoverEvery} without a refusal; whether any changed. */
    boolean recover(Instant now) {
        boolean changed = false;
        for (var iterator = lowered.entrySet().iterator(); iterator.hasNext(); ) {
            var entry = iterator.next();
            Lowered current = entry.getValue();
            if (now.isBefore(current.quietSince().plus(recoverEvery))) {
                continue;
            }
            double to = Math.min(1.0, current.factor() + step / 2);
            if (to >= 1.0 - 1e-9) { // sums of steps in floating point may fall short of 1 by a rounding
                iterator.remove();
            } else {
                entry.setValue(new Lowered(to, current.cutAt(), now));
            }
            changed = true;
        }
        return changed;
    }
}
