package io.janela.metrics.recorder;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the recorder has recorded measurements into Micrometer, and how much of that a Prometheus scrape has
 * taken away: the offsets it may commit.
 *
 * <p>A counter in a new process starts at zero; Prometheus takes the drop for a reset and counts only what the new
 * process adds. So a measurement is counted right across a restart when it is visible in exactly one of the two
 * processes' scrapes: recorded and scraped before the restart, or re-read and recorded after it. The recorder
 * therefore commits an offset once a <em>scrape</em> has shown everything before it, not once it was recorded:
 * whatever was recorded but never scraped is read again by the next process. Recording and scraping exclude each
 * other (one lock), so a scrape shows exactly the measurements before the positions it acknowledges.
 *
 * <p>Thread-safe: the recorder thread records, HTTP threads scrape.
 */
final class RecordingProgress {

    /** How often a wait for a scrape looks whether it should give up (the recorder stopping). */
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition scraped = lock.newCondition();
    private final Map<TopicPartition, Long> recorded = new HashMap<>();
    private final Map<TopicPartition, Long> acknowledged = new HashMap<>();
    private long acknowledgedAt;

    RecordingProgress(long now) {
        this.acknowledgedAt = now;
    }

    /** Applies a batch of measurements to the meters and notes how far it went, with no scrape in between. */
    void record(Runnable apply, Map<TopicPartition, Long> nextOffsets) {
        lock.lock();
        try {
            apply.run();
            recorded.putAll(nextOffsets);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs a scrape with recording held off; when {@code complete} says the scrape showed every meter, everything
     * recorded before it counts as acknowledged.
     */
    <T> T scrape(Supplier<T> scrape, Predicate<T> complete, long now) {
        lock.lock();
        try {
            T result = scrape.get();
            if (complete.test(result)) {
                acknowledged.putAll(recorded);
                acknowledgedAt = now;
                scraped.signalAll();
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a scrape has shown everything recorded of {@code partitions}, for at most {@code timeout} and while
     * {@code keepWaiting} holds.
     *
     * @return whether a scrape showed it all
     */
    boolean awaitScraped(Collection<TopicPartition> partitions, Duration timeout, BooleanSupplier keepWaiting) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!scrapedAll(partitions)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !keepWaiting.getAsBoolean()) {
                    return false;
                }
                scraped.awaitNanos(Math.min(left, WAIT_SLICE_NANOS));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    private boolean scrapedAll(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            Long recordedTo = recorded.get(partition);
            if (recordedTo != null && !recordedTo.equals(acknowledged.get(partition))) {
                return false;
            }
        }
        return true;
    }

    /** Offsets a scrape has shown everything before: safe to commit when this process ends. */
    Map<TopicPartition, Long> acknowledged() {
        lock.lock();
        try {
            return Map.copyOf(acknowledged);
        } finally {
            lock.unlock();
        }
    }

    /** Offsets recorded so far: safe to commit while this process keeps its meters. */
    Map<TopicPartition, Long> recorded() {
        lock.lock();
        try {
            return Map.copyOf(recorded);
        } finally {
            lock.unlock();
        }
    }

    /** When a scrape last acknowledged (or this progress began). */
    long acknowledgedAt() {
        lock.lock();
        try {
            return acknowledgedAt;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Treats everything recorded as acknowledged, when nobody scraped for long: a restart then loses what was
     * recorded but never scraped (as with any counter), instead of re-reading all of it.
     */
    void acknowledgeRecorded(long now) {
        lock.lock();
        try {
            acknowledged.putAll(recorded);
            acknowledgedAt = now;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets partitions this process no longer records. */
    void forget(Collection<TopicPartition> partitions) {
        lock.lock();
        try {
            partitions.forEach(partition -> {
                recorded.remove(partition);
                acknowledged.remove(partition);
            });
        } finally {
            lock.unlock();
        }
    }
}
