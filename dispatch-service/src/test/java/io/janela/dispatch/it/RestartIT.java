package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.Recipient;
import io.janela.avro.ResultKind;
import io.janela.sandbox.control.LoggedRequest;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.janela.testsupport.kafka.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The service stops in the middle of a stream of sends, with calls that Meta accepted still unanswered (slow answers,
 * a short shutdown timeout: the state a crash leaves), and starts again: every request ends with exactly one outcome,
 * and Meta received each exactly once.
 */
class RestartIT {

    private static final int REQUESTS = 30;

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    static DispatchEnvironment environment;

    @BeforeAll
    static void start() {
        environment = new DispatchEnvironment(
                kafka.broker(),
                "dispatch-restart-it",
                5,
                Map.of(
                        "janela.dispatch.template-sync.enabled", false,
                        "janela.dispatch.graph-api.response-timeout", "30s",
                        "janela.dispatch.sender.shutdown-timeout", "200ms"));
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    @Test
    void aRestartInTheMiddleOfSendingSendsNothingTwiceAndLosesNothing() {
        environment.startService();
        List<String> requestIds =
                IntStream.range(0, REQUESTS).mapToObj(i -> "restart-" + i).toList();
        for (int i = 0; i < REQUESTS; i++) {
            String contact = "US.restart" + i;
            environment.window(contact, Instant.now().minus(Duration.ofHours(1)));
        }
        // Meta accepts at once but answers after 3 s: calls stay in flight long after Meta has the message.
        environment.sandbox().latency(Duration.ofSeconds(3), Duration.ZERO);
        for (int i = 0; i < REQUESTS; i++) {
            environment.request(
                    "k",
                    text(requestIds.get(i), "your order shipped")
                            .setRecipient(new Recipient(null, "US.restart" + i))
                            .build());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> accepted().size() >= 5);

        environment.stopService();
        int acceptedBeforeRestart = accepted().size();
        assertThat(acceptedBeforeRestart).as("stopped in the middle").isLessThan(REQUESTS);
        environment.sandbox().latency(Duration.ZERO, Duration.ZERO);
        environment.startService();

        try (TopicReader<String, DispatchResult> results = environment.results()) {
            List<DispatchResult> outcomes = Records.await(
                    results,
                    result -> result.getKind() == ResultKind.OUTCOME && requestIds.contains(result.getRequestId()),
                    REQUESTS,
                    Duration.ofSeconds(120));
            assertThat(outcomes).extracting(DispatchResult::getRequestId).doesNotHaveDuplicates();
            assertThat(outcomes).extracting(DispatchResult::getOutcome).containsOnly(DispatchOutcome.SENT);
            assertThat(Records.settle(
                            results,
                            result -> result.getKind() == ResultKind.OUTCOME
                                    && requestIds.contains(result.getRequestId()),
                            Duration.ofSeconds(5)))
                    .as("exactly one outcome per request")
                    .hasSize(REQUESTS);
            Map<String, String> wamids =
                    outcomes.stream().collect(Collectors.toMap(DispatchResult::getRequestId, DispatchResult::getWamid));
            Map<String, List<LoggedRequest>> received =
                    accepted().stream().collect(Collectors.groupingBy(LoggedRequest::callbackData));
            assertThat(received).as("Meta received every request").containsOnlyKeys(requestIds);
            received.forEach((requestId, sends) -> {
                assertThat(sends).as("Meta received %s once", requestId).hasSize(1);
                assertThat(sends.getFirst().wamid()).isEqualTo(wamids.get(requestId));
            });
        }
    }

    private static List<LoggedRequest> accepted() {
        return environment.sandbox().accepted().stream()
                .filter(request ->
                        request.callbackData() != null && request.callbackData().startsWith("restart-"))
                .toList();
    }
}
