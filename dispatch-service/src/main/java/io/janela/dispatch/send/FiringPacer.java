package io.janela.dispatch.send;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the calls to Meta at each business number's pace, on a thread of its own so that timing does not depend on
 * how long the send loop polls or commits. Calls wait here, per number and in order, until their number's
 * {@link ThroughputLimiter} has a slot; the call itself is asynchronous (it only subscribes), so one thread paces every
 * number.
 */
final class FiringPacer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FiringPacer.class);
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /**
     * How far behind its schedule the pacer may catch up after its thread waited for a CPU or its queue for a commit:
     * up to a second of slots, which the trailing-second guard still caps at the limit.
     */
    static final java.time.Duration MAX_CATCH_UP = java.time.Duration.ofSeconds(1);

    /** A call waiting for its slot. */
    record Call(Pending pending, Runnable fire) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, ThroughputLimiter> limiters = new HashMap<>();
    private final Map<String, ArrayDeque<Call>> waiting = new HashMap<>();
    private final long maxCatchUpNanos;
    private final Thread thread;
    private volatile boolean running = true;

    FiringPacer(long maxCatchUpNanos) {
        this.maxCatchUpNanos = maxCatchUpNanos;
        this.thread = Thread.ofPlatform().name("dispatch-sender-pacer").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Sets each number's rate (messages per second); a number at zero takes no calls. */
    void rates(Map<String, Double> rates) {
        lock.lock();
        try {
            long now = System.nanoTime();
            // A number's limiter lives as long as the pacer: its last second of sends counts across rate changes.
            rates.forEach(
                    (number, rate) -> limiters.computeIfAbsent(number, n -> new ThroughputLimiter(0, maxCatchUpNanos))
                            .rate(rate, now));
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void submit(String phoneNumberId, Call call) {
        lock.lock();
        try {
            waiting.computeIfAbsent(phoneNumberId, n -> new ArrayDeque<>()).addLast(call);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Calls of a number waiting for their slot. */
    int waiting(String phoneNumberId) {
        lock.lock();
        try {
            ArrayDeque<Call> calls = waiting.get(phoneNumberId);
            return calls == null ? 0 : calls.size();
        } finally {
            lock.unlock();
        }
    }

    /** Takes back the waiting calls that match: they will not be made. */
    List<Pending> withdraw(Predicate<Pending> which) {
        List<Pending> withdrawn = new ArrayList<>();
        lock.lock();
        try {
            for (ArrayDeque<Call> calls : waiting.values()) {
                for (Iterator<Call> iterator = calls.iterator(); iterator.hasNext(); ) {
                    Call call = iterator.next();
                    if (which.test(call.pending())) {
                        withdrawn.add(call.pending());
                        iterator.remove();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        return withdrawn;
    }

    /**
     * Makes one call at a time: the first whose number's limiter allows it now. The limiter records the time after the
     * call has started, not the time it was chosen, so that a pause of this thread in between (waiting for a CPU)
     * cannot let the next calls crowd into less than the limiter's second.
     */
    private void run() {
        while (running) {
            Call next = null;
            ThroughputLimiter nextLimiter = null;
            lock.lock();
            try {
                long now = System.nanoTime();
                long wake = now + IDLE_WAIT_NANOS;
                for (Map.Entry<String, ArrayDeque<Call>> entry : waiting.entrySet()) {
                    ThroughputLimiter limiter = limiters.get(entry.getKey());
                    if (limiter == null || entry.getValue().isEmpty()) {
                        continue;
                    }
                    long earliest = limiter.earliest(now);
                    if (earliest <= now) {
                        next = entry.getValue().removeFirst();
                        nextLimiter = limiter;
                        break;
                    }
                    wake = Math.min(wake, earliest);
                }
                if (next == null) {
                    changed.awaitNanos(Math.max(1, wake - now));
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            try {
                next.fire().run();
            } catch (RuntimeException e) {
                log.error("A send could not be started", e);
            }
            lock.lock();
            try {
                nextLimiter.sent(System.nanoTime());
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
