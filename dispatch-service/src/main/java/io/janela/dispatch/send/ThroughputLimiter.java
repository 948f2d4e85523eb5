package io.janela.dispatch.send;

import java.util.ArrayDeque;

/**
 * Paces one business number's sends at a rate, and guarantees that no trailing second ever holds more than the rate's
 * whole number of sends (WHATSAPP.md §6.1: Meta answers 130429 above the number's throughput).
 *
 * <p>Sends are spaced one interval apart ({@code 1/rate}). A pacer that wakes late may catch up on slots it missed, by
 * at most {@code maxCatchUp}, so that the achieved rate does not fall below the limit because of timer granularity;
 * the trailing-second guard keeps catching up from ever exceeding it. Times are nanoseconds on one monotonic clock.
 * Not thread-safe: one pacer thread owns it.
 */
final class ThroughputLimiter {

    private static final long SECOND = 1_000_000_000L;

    private final long maxCatchUp;
    private final ArrayDeque<Long> lastSecond = new ArrayDeque<>();
    private long interval;
    private int perSecond;
    private long nextSlot = Long.MIN_VALUE;

    /**
     * @param rate sends per second; may be fractional (a share of a limit)
     * @param maxCatchUpNanos how far behind its schedule the pacer may catch up
     */
    ThroughputLimiter(double rate, long maxCatchUpNanos) {
        this.maxCatchUp = maxCatchUpNanos;
        rate(rate);
    }

    void rate(double rate) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("a throughput rate must be positive: " + rate);
        }
        this.interval = Math.max(1L, Math.round(SECOND / rate));
        this.perSecond = Math.max(1, (int) Math.floor(rate + 1e-9));
    }

    /** The earliest time, at or after {@code now}, at which a send may go. */
    long earliest(long now) {
        trim(now);
        long slot = nextSlot == Long.MIN_VALUE ? now : Math.max(nextSlot, now - maxCatchUp);
        long guard = lastSecond.size() < perSecond ? now : lastSecond.peekFirst() + SECOND;
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

    private void trim(long now) {
        while (!lastSecond.isEmpty() && lastSecond.peekFirst() <= now - SECOND) {
            lastSecond.removeFirst();
        }
    }
}
