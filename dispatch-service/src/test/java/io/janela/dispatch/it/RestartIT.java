package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.Recipient;
import io.janela.sandbox.control.LoggedRequest;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

        environment.assertSentExactlyOnce(requestIds, "restart-", Duration.ofSeconds(120), Duration.ofSeconds(5));
    }

    private static List<LoggedRequest> accepted() {
        return environment.accepted("restart-");
    }
}
