package io.janela.dispatch.it;

import io.janela.avro.DispatchResult;
import io.janela.avro.ResultKind;
import io.janela.testsupport.kafka.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Awaiting records that match, on a topic that other tests of the class also write to. */
final class Records {

    private Records() {}

    /** Polls until at least {@code count} values match; returns all matching values so far. */
    static <V> List<V> await(TopicReader<?, V> reader, Predicate<V> which, int count, Duration timeout) {
        org.awaitility.Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    poll(reader);
                    return matching(reader, which).size() >= count;
                });
        return matching(reader, which);
    }

    /** Waits for the OUTCOME record of a request. */
    static DispatchResult outcome(TopicReader<?, DispatchResult> results, String requestId, Duration timeout) {
        return await(
                        results,
                        result -> result.getRequestId().equals(requestId) && result.getKind() == ResultKind.OUTCOME,
                        1,
                        timeout)
                .getFirst();
    }

    /** Reads for {@code quiet} and returns all matching values so far: for asserting that no more came. */
    static <V> List<V> settle(TopicReader<?, V> reader, Predicate<V> which, Duration quiet) {
        long until = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < until) {
            poll(reader);
        }
        return matching(reader, which);
    }

    static <V> List<V> matching(TopicReader<?, V> reader, Predicate<V> which) {
        return reader.received().stream()
                .map(ConsumerRecord::value)
                .filter(Objects::nonNull)
                .filter(which)
                .toList();
    }

    private static void poll(TopicReader<?, ?> reader) {
        try {
            reader.awaitRecords(reader.received().size() + 1, Duration.ofMillis(100));
        } catch (AssertionError nothingNew) {
            // nothing new within the poll
        }
    }
}
