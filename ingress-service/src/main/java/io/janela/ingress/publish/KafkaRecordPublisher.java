package io.janela.ingress.publish;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes through one shared idempotent producer ({@code acks=all}, {@code enable.idempotence=true}), completing when
 * the producer has reported on every record: acknowledged, or given up on after {@code delivery.timeout.ms}.
 *
 * <p>Before anything is sent, the partitions of every topic involved are looked up; when the producer has never seen
 * a topic and the cluster cannot tell it within {@code max.block.ms}, the request fails with nothing sent rather
 * than with some of its records on their way.
 *
 * <p>The result is completed on {@code completions}, not on the producer's I/O thread where the last callback runs:
 * whatever the caller chains onto it (metrics, the HTTP response, a dead letter) must not delay the sends and
 * acknowledgements of every other request, which that one thread handles.
 */
public final class KafkaRecordPublisher implements RecordPublisher {

    private final Producer<byte[], byte[]> producer;
    private final Executor completions;

    public KafkaRecordPublisher(Producer<byte[], byte[]> producer, Executor completions) {
        this.producer = producer;
        this.completions = completions;
    }

    @Override
    public CompletableFuture<PublishResult> publish(List<ProducerRecord<byte[], byte[]>> records) {
        int count = records.size();
        if (count == 0) {
            return CompletableFuture.completedFuture(new PublishResult(new Throwable[0]));
        }
        try {
            Set<String> topics = new LinkedHashSet<>();
            records.forEach(record -> topics.add(record.topic()));
            // Cached metadata answers at once; only an unknown topic waits (up to max.block.ms).
            topics.forEach(producer::partitionsFor);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(PublishResult.allFailed(count, e));
        }
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
                // send() itself failed (buffer full for max.block.ms, record too large, producer closed): this and the
                // records not yet sent fail; those already sent still report through their callbacks.
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
}
