package io.janela.ingress.publish;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Publishes through one shared idempotent producer ({@code acks=all}, {@code enable.idempotence=true}), completing when
 * the producer has reported on every record: acknowledged, or given up on after {@code delivery.timeout.ms}.
 *
 * <p>Nothing here blocks a thread. The producer runs with {@code max.block.ms=0}: {@code send()} never waits, and a
 * full buffer fails the record at once. Before anything is sent, the partitions of every topic involved are looked
 * up; a topic the producer does not know yet (just started, or idle for {@code metadata.max.idle.ms}) is looked up
 * again every {@value #METADATA_POLL_MS} ms, without holding a thread, for up to {@code metadataWait}. If it is still
 * unknown then, the request fails with nothing sent rather than with some of its records on their way.
 *
 * <p>The result is completed on {@code completions}, not on the producer's I/O thread where the last callback runs:
 * whatever the caller chains onto it (metrics, the HTTP response, a dead letter) must not delay the sends and
 * acknowledgements of every other request, which that one thread handles.
 */
public final class KafkaRecordPublisher implements RecordPublisher {

    static final long METADATA_POLL_MS = 20;

    private final Producer<byte[], byte[]> producer;
    private final Executor completions;
    private final Duration metadataWait;

    public KafkaRecordPublisher(Producer<byte[], byte[]> producer, Executor completions, Duration metadataWait) {
        this.producer = producer;
        this.completions = completions;
        this.metadataWait = metadataWait;
    }

    @Override
    public CompletableFuture<PublishResult> publish(List<ProducerRecord<byte[], byte[]>> records) {
        if (records.isEmpty()) {
            return CompletableFuture.completedFuture(new PublishResult(new Throwable[0]));
        }
        Set<String> topics = new LinkedHashSet<>();
        records.forEach(record -> topics.add(record.topic()));
        try {
            if (knows(topics)) {
                return sendAll(records);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(PublishResult.allFailed(records.size(), e));
        }
        return awaitMetadata(topics, metadataWait)
                .thenCompose(ignored -> sendAll(records))
                .exceptionally(failure -> PublishResult.allFailed(records.size(), unwrap(failure)));
    }

    /**
     * Completes once the producer knows the partitions of every topic, polling without blocking; fails with the
     * producer's {@link TimeoutException} when it still does not after {@code wait}.
     */
    public CompletableFuture<Void> awaitMetadata(Collection<String> topics, Duration wait) {
        CompletableFuture<Void> known = new CompletableFuture<>();
        poll(topics, System.nanoTime() + wait.toNanos(), known);
        return known;
    }

    private void poll(Collection<String> topics, long deadline, CompletableFuture<Void> known) {
        try {
            if (knows(topics)) {
                known.complete(null);
                return;
            }
        } catch (RuntimeException e) {
            known.completeExceptionally(e);
            return;
        }
        if (System.nanoTime() >= deadline) {
            known.completeExceptionally(new TimeoutException(
                    "The partitions of " + topics + " were not known within " + metadataWait.toMillis() + " ms"));
            return;
        }
        CompletableFuture.delayedExecutor(METADATA_POLL_MS, TimeUnit.MILLISECONDS, completions)
                .execute(() -> poll(topics, deadline, known));
    }

    /**
     * Whether the producer knows every topic's partitions. With {@code max.block.ms=0}, {@code partitionsFor}
     * answers from its cache at once, or asks the cluster and throws {@link TimeoutException}.
     */
    private boolean knows(Collection<String> topics) {
        for (String topic : topics) {
            try {
                producer.partitionsFor(topic);
            } catch (TimeoutException notYet) {
                return false;
            }
        }
        return true;
    }

    private CompletableFuture<PublishResult> sendAll(List<ProducerRecord<byte[], byte[]>> records) {
        int count = records.size();
        CompletableFuture<PublishResult> done = new CompletableFuture<>();
        Throwable[] failures = new Throwable[count];
        // Each callback writes its slot before decrementing; the thread that reaches zero therefore sees every slot.
        AtomicInteger pending = new AtomicInteger(count);
        for (int i = 0; i < count; i++) {
            int index = i;
            try {
                producer.send(records.get(i), (metadata, exception) -> {
                    failures[index] = exception;
                    if (pending.decrementAndGet() == 0) {
                        complete(done, new PublishResult(failures));
                    }
                });
            } catch (RuntimeException e) {
                // send() itself threw (producer closed, an interceptor failed): this and the records not yet sent
                // fail; those already sent still report through their callbacks. (Buffer full and record too large
                // are reported through the callback.)
                int notSent = count - i;
                for (int j = i; j < count; j++) {
                    failures[j] = e;
                }
                if (pending.addAndGet(-notSent) == 0) {
                    complete(done, new PublishResult(failures));
                }
                break;
            }
        }
        return done;
    }

    private void complete(CompletableFuture<PublishResult> done, PublishResult result) {
        try {
            completions.execute(() -> done.complete(result));
        } catch (RejectedExecutionException shuttingDown) {
            done.complete(result);
        }
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
    }
}
