package io.janela.dispatch.send;

import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.graph.GraphApiClient;
import io.janela.dispatch.graph.MessageRequests;
import io.janela.dispatch.graph.SendResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The calls to Meta's send API and the intake of their answers. A call is made on the pacer's thread and answered on
 * the HTTP client's; the answer is only queued there, never acted on: the send loop takes the answers in
 * ({@link #drain}) and alone decides what they mean, so that the sender's state has one writer.
 */
final class GraphCalls {

    /** Meta's answer to a call, when it came and how long it took. */
    record Answer(Pending pending, SendResponse response, Instant at, long nanos) {}

    private final BusinessNumbers numbers;
    private final GraphApiClient graph;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();

    GraphCalls(BusinessNumbers numbers, GraphApiClient graph, Clock clock) {
        this.numbers = numbers;
        this.graph = graph;
        this.clock = clock;
    }

    /**
     * Sends the command (its payload, or its fallback template once the fallback is active); any thread. Tells
     * {@code progress} when its request has been written to the connection and when its answer came (also when the
     * request never left: the send's answer is then an error of its own), so that the pacer always hears of it.
     */
    void call(Pending pending, FiringPacer.Progress progress) {
        BusinessNumber number = numbers.get(pending.phoneNumberId());
        long began = System.nanoTime();
        graph.send(
                        number.phoneNumberId(),
                        numbers.accessToken(number),
                        MessageRequests.of(pending.command, pending.sendsFallback()),
                        progress::written)
                .subscribe(response -> {
                    progress.answered();
                    answers.add(new Answer(pending, response, clock.instant(), System.nanoTime() - began));
                });
    }

    /** The answers that came since the last drain, in the order they came; the send loop's thread. */
    List<Answer> drain() {
        List<Answer> drained = new ArrayList<>();
        for (Answer answer; (answer = answers.poll()) != null; ) {
            drained.add(answer);
        }
        return drained;
    }

    /** Forgets the answers not taken in (a new Kafka session: their commands are read again). */
    void clear() {
        answers.clear();
    }
}
