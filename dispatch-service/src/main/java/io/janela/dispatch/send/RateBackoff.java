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
 * The calls refused together are one overrun: at most one cut per {@link #CUT_SPACING}. A {@code step} of 0 turns this
 * off. Single-threaded: the send loop owns it.
 */
final class RateBackoff {

    /** Meta's error for a number's throughput exceeded (WHATSAPP.md §6.1). */
    static final int THROUGHPUT_REACHED = 130429;

    /** Refusals closer together than this are one overrun: the pace was lowered for the first already. */
    static final Duration CUT_SPACING = Duration.ofSeconds(1);

    private final double step;
    private final double floor;
    private final Duration recoverEvery;
    private final Map<String, Lowered> lowered = new HashMap<>();

    private record Lowered(double factor, Instant changedAt) {}

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

    /** Meta refused a call of this number with 130429 at {@code now}; whether its pace was lowered. */
    boolean refused(String phoneNumberId, Instant now) {
        if (step <= 0) {
            return false;
        }
        Lowered current = lowered.get(phoneNumberId);
        if (current != null && now.isBefore(current.changedAt().plus(CUT_SPACING))) {
            return false;
        }
        double from = current == null ? 1.0 : current.factor();
        double to = Math.max(floor, from - step);
        if (to >= from) {
            lowered.put(phoneNumberId, new Lowered(from, now)); // at the floor: the quiet time starts again
            return false;
        }
        lowered.put(phoneNumberId, new Lowered(to, now));
        return true;
    }

    /** Gives half a step back to each number that went {@code recoverEvery} without a refusal; whether any changed. */
    boolean recover(Instant now) {
        boolean changed = false;
        for (var iterator = lowered.entrySet().iterator(); iterator.hasNext(); ) {
            var entry = iterator.next();
            Lowered current = entry.getValue();
            if (now.isBefore(current.changedAt().plus(recoverEvery))) {
                continue;
            }
            double to = Math.min(1.0, current.factor() + step / 2);
            if (to >= 1.0 - 1e-9) { // sums of steps in floating point may fall short of 1 by a rounding
                iterator.remove();
            } else {
                entry.setValue(new Lowered(to, now));
            }
            changed = true;
        }
        return changed;
    }
}
