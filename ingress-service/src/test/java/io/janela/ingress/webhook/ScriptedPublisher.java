package io.janela.ingress.webhook;

import io.janela.ingress.publish.PublishResult;
import io.janela.ingress.publish.PublishResults;
import io.janela.ingress.publish.RecordPublisher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A publisher that answers each record as a script says (null: acknowledged; an exception: failed) and remembers
 * what it was given, for tests of what the service does with Kafka's answers. Integration tests use a real broker.
 */
final class ScriptedPublisher implements RecordPublisher {

    private final List<ProducerRecord<byte[], byte[]>> published = new ArrayList<>();
    private final List<String> threads = new ArrayList<>();
    private Function<ProducerRecord<byte[], byte[]>, Throwable> script = record -> null;

    /** From now on, answers every record with what {@code answer} returns for it. */
    void answer(Function<ProducerRecord<byte[], byte[]>, Throwable> answer) {
        this.script = answer;
    }

    @Override
    public synchronized CompletableFuture<PublishResult> publish(List<ProducerRecord<byte[], byte[]>> records) {
        threads.add(Thread.currentThread().getName());
        Throwable[] failures = new Throwable[records.size()];
        for (int i = 0; i < records.size(); i++) {
            published.add(records.get(i));
            failures[i] = script.apply(records.get(i));
        }
        return CompletableFuture.completedFuture(PublishResults.of(failures));
    }

    synchronized List<ProducerRecord<byte[], byte[]>> published() {
        return List.copyOf(published);
    }

    /** The names of the threads {@link #publish} was called on, in order. */
    synchronized List<String> threads() {
        return List.copyOf(threads);
    }

    synchronized List<ProducerRecord<byte[], byte[]>> publishedTo(String topic) {
        return published.stream().filter(r -> r.topic().equals(topic)).toList();
    }
}
