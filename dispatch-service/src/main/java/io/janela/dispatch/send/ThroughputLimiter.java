package io.janela.dispatch.send;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Paces one business number's sends at a rate, and guarantees that no trailing second ever holds more than the rate's
 * whole number of calls leaving for Meta (WHATSAPP.md §6.1: Meta answers 130429 above the number's throughput).
 *
 * <p>What Meta counts is a call's arrival, and a call started here arrives later: the HTTP client writes it on its
 * event loop, after a connection is free, a busy event loop or a paused process lets calls started one interval apart
 * leave together, and the network and the receiver's intake add their own delays. So a call counts twice over: from
 * when it is {@linkplain #fired started} until it is {@linkplain #counted counted} (when it left, or when its answer
 * came: the owner chooses the moment) it holds a place in the current second, wherever it will fall; from then on it
 * is counted at that time, for a guard window. A new call may start only while the calls counted within the window
 * plus the calls still holding a place are fewer than the limit. Any window of those moments then holds at most the
 * limit: of the calls counted within it, the last one started saw all the others either counted already (within the
 * window) or still holding their place. Counted at their answers, any window of arrivals holds at most the limit too,
 * since a call arrives after it started and before it is answered.
 *
 * <p>Sends are spaced one interval apart ({@code 1/rate}) as they start. A pacer that wakes late may catch up on slots
 * it missed, by at most {@code maxCatchUp}, so that the achieved rate does not fall below the limit because of timer
 * granularity; the guard keeps catching up from ever exceeding it. Catching up goes at four times the rate at most: no
 * two calls start less than a quarter of an interval apart. Otherwise calls that left together (a stalled event loop lets them go
 * at once) fall out of the guard's window together a second later, and a pacer behind its schedule would start as
 * many at once again, every second: a clump that one delay at the receiver's intake turns into as many refusals,
 * where calls spaced apart lose one or two. The guard's second is 5 ms longer than a second, a margin for clock
 * granularity (and, counted at departures, the least of the network's jitter); it costs half a percent of the rate. Times are nanoseconds on one monotonic clock. Not thread-safe: its owner serialises the calls.
 */
final class ThroughputLimiter {

    private static final long SECOND = 1_000_000_000L;
    private static final long GUARD_WINDOW = SECOND + 5_000_000L;

    private final long maxCatchUp;
    /** When the calls of the last guard window were counted, oldest first. */
    private final ArrayDeque<Long> lastSecond = new ArrayDeque<>();
    /** Calls started that are not counted yet. */
    private int leaving;

    private double rate;
    private long interval;
    private int perSecond;
    private long nextSlot = Long.MIN_VALUE;
    /** When the last call started. */
    private long lastStart = Long.MIN_VALUE;

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

    /**
     * The earliest time, at or after {@code now}, at which a call may start; {@link Long#MAX_VALUE} at rate zero, and
     * while the calls still leaving fill the second (a departure may change it: ask again then).
     */
    long earliest(long now) {
        if (now >= raiseAt) {
            apply(raiseTo);
            raiseAt = Long.MAX_VALUE;
        }
        if (rate <= 0) {
            return Math.min(Long.MAX_VALUE, raiseAt);
        }
        trim(now);
        long slot = slot(now);
        if (lastStart != Long.MIN_VALUE) {
            slot = Math.max(slot, lastStart + interval / 4);
        }
        return Math.max(now, Math.max(slot, guard(now)));
    }

    /** Records a call started at {@code now}; call only when {@code earliest(now) <= now}. */
    void fired(long now) {
        nextSlot = slot(now) + interval;
        lastStart = now;
        leaving++;
    }

    private long slot(long now) {
        return nextSlot == Long.MIN_VALUE ? now : Math.max(nextSlot, now - maxCatchUp);
    }

    /**
     * Records that a call started earlier counts from {@code now} on (it left, or its answer came); once per call,
     * with times that never go back.
     */
    void counted(long now) {
        leaving = Math.max(0, leaving - 1);
        lastSecond.addLast(now);
    }

    /** Calls started that are not counted yet. */
    int leaving() {
        return leaving;
    }

    /**
     * When enough of the calls that left within the guard window will be out of it for one more to start: now when
     * there is room; never while the calls still leaving alone fill it.
     */
    private long guard(long now) {
        int mustGo = lastSecond.size() + leaving - perSecond + 1;
        if (mustGo <= 0) {
            return now;
        }
        if (mustGo > lastSecond.size()) {
            return Long.MAX_VALUE;
        }
        Iterator<Long> departures = lastSecond.iterator();
        long last = now;
        for (int i = 0; i < mustGo; i++) {
            last = departures.next();
        }
        return last + GUARD_WINDOW;
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
