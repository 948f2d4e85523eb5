package io.janela.ingress.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The publisher over Kafka's own MockProducer, whose acknowledgements the test hands out one by one. */
class KafkaRecordPublisherTest {

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final QueuedExecutor completions = new QueuedExecutor();
    private final KafkaRecordPublisher publisher =
            new KafkaRecordPublisher(producer, completions, Duration.ofSeconds(1));

    @Test
    void completesOnlyOnceEveryRecordHasItsAnswer() {
        CompletableFuture<PublishResult> result = publisher.publish(List.of(record("a"), record("b"), record("c")));

        producer.completeNext();
        producer.errorNext(new NotEnoughReplicasException("not enough in-sync replicas"));
        assertThat(completions.runAll()).isZero();
        assertThat(result).isNotDone();
        producer.completeNext();
        completions.runAll();

        PublishResult answers = result.join();
        assertThat(answers.acknowledged(0)).isTrue();
        assertThat(answers.failure(1)).isInstanceOf(NotEnoughReplicasException.class);
        assertThat(answers.acknowledged(2)).isTrue();
        assertThat(answers.allAcknowledged()).isFalse();
    }

    @Test
    void completesOnTheGivenExecutorNotOnTheThreadOfTheLastAcknowledgement() {
        CompletableFuture<PublishResult> result = publisher.publish(List.of(record("a")));

        producer.completeNext();

        assertThat(result).isNotDone();
        assertThat(completions.runAll()).isEqualTo(1);
        assertThat(result.join().allAcknowledged()).isTrue();
    }

    @Test
    void sendsNothingWhenATopicsMetadataCannotBeHadInTime() {
        KafkaRecordPublisher waitingBriefly = new KafkaRecordPublisher(producer, Runnable::run, Duration.ofMillis(200));
        producer.partitionsForException = new TimeoutException("Topic t not present in metadata after 0 ms");

        PublishResult result =
                waitingBriefly.publish(List.of(record("a"), record("b"))).join();

        assertThat(producer.history()).isEmpty();
        assertThat(result.failures()).hasSize(2).allMatch(TimeoutException.class::isInstance);
    }

    @Test
    void waitsForTheMetadataOfATopicWithoutHoldingAThreadAndThenSends() {
        KafkaRecordPublisher waiting = new KafkaRecordPublisher(producer, Runnable::run, Duration.ofSeconds(30));
        producer.partitionsForException = new TimeoutException("Topic t not present in metadata after 0 ms");

        CompletableFuture<PublishResult> result = waiting.publish(List.of(record("a")));

        assertThat(result).isNotDone();
        assertThat(producer.history()).isEmpty();
        producer.partitionsForException = null;
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> producer.history().size() == 1);
        producer.completeNext();
        assertThat(result.join().allAcknowledged()).isTrue();
    }

    @Test
    void failsEverythingAtOnceWhenTheTopicCannotBeAskedFor() {
        producer.partitionsForException = new TopicAuthorizationException("not allowed");

        PublishResult result = publisher.publish(List.of(record("a"))).join();

        assertThat(result.failure(0)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void failsTheRestWhenSendItselfThrowsAndStillWaitsForWhatWasSent() {
        CompletableFuture<PublishResult> result = publisher.publish(List.of(record("a")));
        producer.sendException = new IllegalStateException("Cannot perform operation after producer has been closed");
        CompletableFuture<PublishResult> refused = publisher.publish(List.of(record("b"), record("c")));
        completions.runAll();

        assertThat(refused.join().failures()).hasSize(2).allMatch(IllegalStateException.class::isInstance);
        assertThat(result).isNotDone();
        producer.completeNext();
        completions.runAll();
        assertThat(result.join().allAcknowledged()).isTrue();
    }

    @Test
    void answersAnEmptyPublicationAtOnce() {
        assertThat(publisher.publish(List.of()).join().size()).isZero();
    }

    private static ProducerRecord<byte[], byte[]> record(String key) {
        return new ProducerRecord<>("t", key.getBytes(), new byte[] {1});
    }

    /** Runs completions when the test says so. */
    private static final class QueuedExecutor implements Executor {
        private final List<Runnable> queued = new ArrayList<>();

        @Override
        public synchronized void execute(Runnable task) {
            queued.add(task);
        }

        synchronized int runAll() {
            List<Runnable> tasks = List.copyOf(queued);
            queued.clear();
            tasks.forEach(Runnable::run);
            return tasks.size();
        }
    }
}
