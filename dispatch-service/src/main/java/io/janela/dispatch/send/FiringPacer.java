package io.janela.dispatch.send;

import io.janela.dispatch.config.DispatchProperties.ThroughputCountedAt;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the calls to Meta at each business number's pace, on a thread of its own so that timing does not depend on
 * how long the send loop polls or commits. Calls wait here, per number and in order, until their number's
 * {@link ThroughputLimiter} has a slot; the call itself is asynchronous (it only subscribes), so one thread paces every
 * number. Because of that, a call leaves for Meta later than it is started, on the HTTP client's event loop, and Meta
 * counts it later still, somewhere before its answer comes back: each call is handed a {@link Progress} to tell when
 * its request has been written and when its answer came, and the limiter counts the call from its start until the
 * moment configured ({@link ThroughputCountedAt}: its answer by default, or its departure) wherever that falls, then at
 * that moment (see {@link ThroughputLimiter}). Counted at its answer, the number's limit holds at any receiver that
 * counts a call before it answers, however the client's event loop, the process, the network or the receiver's own
 * intake is delayed in between.
 *
 * <p>A call is made only while it is fresh and its partition is held. Its ATTEMPTING entry was journaled just before it
 * was submitted; a call still waiting past its fire-by time (its journal entry is stale: the pacer, the process or the
 * whole machine stalled) or whose send-commands partition this instance no longer holds (revoked, lost, or the session
 * ended) is not made but handed back ({@link #withheld()}): a new owner that loaded the journal takes such a request
 * as in doubt and may, on evidence, send it again, so a late call by this instance could be a second one. This keeps
 * every call within a bounded time of its journal entry, which is what the in-doubt evidence margin relies on.
 */
final class FiringPacer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FiringPacer.class);
    private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /**
     * How far behind its schedule the pacer may catch up after its thread waited for a CPU or its queue for a commit:
     * up to a second of slots, which the trailing-second guard still caps at the limit.
     */
    static final java.time.Duration MAX_CATCH_UP = java.time.Duration.ofSeconds(1);

    /**
     * A call waiting for its slot.
     *
     * @param fire makes the call, given its {@link Progress} to tell (any thread) when its request was written and when
     *     its answer came; a call never answered is counted until the pacer closes
     * @param fireByNanos the {@link System#nanoTime()} after which it is stale: not made, handed back
     */
    record Call(Pending pending, Consumer<Progress> fire, long fireByNanos) {}

    /** What becomes of a call once started; each may be told more than once, from any thread: the first counts. */
    interface Progress {

        /** Its request has been written to its connection: it left for Meta. */
        void written();

        /** Its answer came, or the call ended without one (also when it never left). */
        void answered();
    }

    /** Why a call was not made. */
    enum Reason {
        /** Its journal entry is older than its fire-by time allows. */
        STALE,
        /** Its partition is no longer held by this instance. */
        NOT_HELD
    }

    /** A call taken back without being made. */
    record Withheld(Pending pending, Reason reason) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, ThroughputLimiter> limiters = new HashMap<>();
    private final Map<String, ArrayDeque<Call>> waiting = new HashMap<>();
    private final long maxCatchUpNanos;
    private final Predicate<Pending> held;
    private final LongConsumer departures;
    private final ThroughputCountedAt countedAt;
    private final ConcurrentLinkedQueue<Withheld> withheld = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param held whether the partition of a call's command is still held by this instance (called on the pacer's
     *     thread: thread-safe)
     * @param departures told, for each call that left, how long after its start it left (nanoseconds; any thread)
     * @param countedAt from when a call counts against its number's second
     */
    FiringPacer(long maxCatchUpNanos, Predicate<Pending> held, LongConsumer departures, ThroughputCountedAt countedAt) {
        this.maxCatchUpNanos = maxCatchUpNanos;
        this.held = held;
        this.departures = departures;
        this.countedAt = countedAt;
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

    /** Calls the pacer took back without making them (stale, or of a partition no longer held) since the last call. */
    List<Withheld> withheld() {
        List<Withheld> drained = new ArrayList<>();
        for (Withheld next; (next = withheld.poll()) != null; ) {
            drained.add(next);
        }
        return drained;
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
     * Makes one call at a time: the first whose number's limiter allows it now. The call holds its place from the
     * moment it is chosen, under the lock, until its {@link Progress} says it reached the moment it counts at.
     */
    private void run() {
        while (running) {
            Call next = null;
            CallProgress progress = null;
            lock.lock();
            try {
                long now = System.nanoTime();
                long wake = now + IDLE_WAIT_NANOS;
                for (Map.Entry<String, ArrayDeque<Call>> entry : waiting.entrySet()) {
                    ThroughputLimiter limiter = limiters.get(entry.getKey());
                    withholdUnfit(entry.getValue(), now);
                    if (limiter == null || entry.getValue().isEmpty()) {
                        continue;
                    }
                    long earliest = limiter.earliest(now);
                    if (earliest <= now) {
                        next = entry.getValue().removeFirst();
                        limiter.fired(now);
                        progress = new CallProgress(limiter, now);
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
                next.fire().accept(progress);
            } catch (RuntimeException e) {
                log.error("A send could not be started", e);
                progress.answered(); // it may have left before it failed: counted now
            }
        }
    }

    /**
     * A started call's progress: its departure is reported once (how long after its start it left); it is counted in
     * its number's second once, at its departure or its answer as configured, and at the latest at its answer.
     */
    private final class CallProgress implements Progress {

        private final ThroughputLimiter limiter;
        private final long firedNanos;
        private final AtomicBoolean written = new AtomicBoolean();
        private final AtomicBoolean counted = new AtomicBoolean();

        CallProgress(ThroughputLimiter limiter, long firedNanos) {
            this.limiter = limiter;
            this.firedNanos = firedNanos;
        }

        @Override
        public void written() {
            if (!written.compareAndSet(false, true)) {
                return;
            }
            long now = countedAt == ThroughputCountedAt.DEPARTURE ? count() : System.nanoTime();
            departures.accept(now - firedNanos);
        }

        @Override
        public void answered() {
            if (written.compareAndSet(false, true)) {
                // Never heard of leaving (failed before, or the client does not tell): left by now at the latest.
                departures.accept(count() - firedNanos);
            } else {
                count();
            }
        }

        /** Counts the call in its number's second now, once; returns the time it was counted (or now). */
        private long count() {
            if (!counted.compareAndSet(false, true)) {
                return System.nanoTime();
            }
            lock.lock();
            try {
                // Taken under the lock: the limiter's times stay in order.
                long now = System.nanoTime();
                limiter.counted(now);
                changed.signalAll();
                return now;
            } finally {
                lock.unlock();
            }
        }
    }

    /** Takes the calls at the head of a number's queue that must not be made any more out of it. */
    private void withholdUnfit(ArrayDeque<Call> calls, long now) {
        for (Call head; (head = calls.peekFirst()) != null; ) {
            Reason reason;
            if (!held.test(head.pending())) {
                reason = Reason.NOT_HELD;
            } else if (now - head.fireByNanos() > 0) {
                reason = Reason.STALE;
            } else {
                return;
            }
            calls.removeFirst();
            withheld.add(new Withheld(head.pending(), reason));
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
