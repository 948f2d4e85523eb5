package io.janela.dispatch.send;

import java.util.ArrayDeque;

/**
 * Paces one business number's sends at a rate, and guarantees that no trailing second ever holds more than the rate's
 * whole number of sends (WHATSAPP.md §6.1: Meta answers 130429 above the number's throughput).
 *
 * <p>Sends are spaced one interval apart ({@code 1/rate}). A pacer that wakes late may catch up on slots it missed, by
 * at most {@code maxCatchUp}, so that the achieved rate does not fall below the limit because of timer granularity;
 * the trailing-second guard keeps catching up from ever exceeding it. The guard's second is 5 ms longer than a
 * second: what counts is when Meta sees the calls, a few milliseconds of scheduling and network jitter after they are
 * timed here, and the margin costs half a percent of the rate. Times are nanoseconds on one monotonic clock. Not
 * thread-safe: one pacer thread owns it.
 */
final class ThroughputLimiter {

    private static final long SECOND = 1_000_000_000L;
    private static final long GUARD_WINDOW = SECOND + 5_000_000L;

    private final long maxCatchUp;
    private final ArrayDeque<Long> lastSecond = new ArrayDeque<>();
    private double rate;
    private long interval;
    private int perSecond;
    private long nextSlot = Long.MIN_VALUE;
    private double raiseTo;
    private long raiseAt = Long.MAX_VALUE;

    /**
     * @param rate sends per second; may be fractional (a share of a limit)
     * @param maxCatchUpNanos how far behind its schedule the pacer may catch up
     */
    ThroughputLimiter(double rate, long maxCatchUpNanos) {
        this.maxCatchUp = maxCatchUpNanos;
        apply(rate);
    }

    /**
     * Changes the rate at {@code now}. A lower rate applies at once; a higher one only after a guard window, because
     * the share it adds was, until now, another instance's, whose last second of sends must pass first: so the
     * instances together never exceed the limit while partitions move between them. Zero stops sends.
     */
    void rate(double newRate, long now) {
        if (newRate <= rate) {
            apply(newRate);
            raiseAt = Long.MAX_VALUE;
        } else {
            raiseTo = newRate;
            raiseAt = now + GUARD_WINDOW;
        }
    }

    /** The earliest time, at or after {@code now}, at which a send may go; {@link Long#MAX_VALUE} at rate zero. */
    long earliest(long now) {
        if (now >= raiseAt) {
            apply(raiseTo);
            raiseAt = Long.MAX_VALUE;
        }
        if (rate <= 0) {
            return Math.min(Long.MAX_VALUE, raiseAt);
        }
        trim(now);
        long slot = nextSlot == Long.MIN_VALUE ? now : Math.max(nextSlot, now - maxCatchUp);
        long guard = lastSecond.size() < perSecond ? now : lastSecond.peekFirst() + GUARD_WINDOW;
        return Math.max(now, Math.max(slot, guard));
    }

    /** Records a send at {@code now}; call only when {@code earliest(now) <= now}. */
    void sent(long now) {
        long slot = nextSlot == Long.MIN_VALUE ? now : Math.max(nextSlot, now - maxCatchUp);
        nextSlot = slot + interval;
        lastSecond.addLast(now);
    }

    int perSecond() {
        return perSecond;
    }

    private void apply(double newRate) {
        this.rate = Math.max(0, newRate);
        this.interval = rate > 0 ? Math.max(1L, Math.round(SECOND / rate)) : Long.MAX_VALUE;
        this.perSecond = rate > 0 ? Math.max(1, (int) Math.floor(rate + 1e-9)) : 0;
    }

    private void trim(long now) {
        while (!lastSecond.isEmpty() && lastSecond.peekFirst() <= now - GUARD_WINDOW) {
            lastSecond.removeFirst();
        }
    }
}
