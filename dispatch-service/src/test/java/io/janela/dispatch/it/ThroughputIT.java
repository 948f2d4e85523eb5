package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.Recipient;
import io.janela.avro.ResultKind;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.graph.GraphApiClient;
import io.janela.dispatch.graph.GraphWebClients;
import io.janela.dispatch.send.Sender;
import io.janela.dispatch.topics.DispatchTopics;
import io.janela.sandbox.control.LoggedRequest;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.janela.testsupport.kafka.TopicReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A burst of sends to many contacts from one business number, with two sender instances sharing the number's
 * throughput limit, against a receiver whose intake lags each call by up to {@link #INTAKE_JITTER}: together they never
 * call Meta more than the limit in a second, not where they start their calls and not where the receiver counts them,
 * and every request is sent once.
 */
class ThroughputIT {

    private static final int LIMIT = 5;
    private static final int BURST = 40;
    /**
     * The most the sandbox's intake lags a call: calls paced by when they left (5 ms guard) are sometimes counted
     * within one second by such a receiver and refused (3 of 40 with this lag in the run that showed it); counted
     * at their answers, never.
     */
    private static final Duration INTAKE_JITTER = Duration.ofMillis(300);

    /**
     * The pacers record each call once it has started, so that calls timed as the HTTP client starts them (here) keep
     * within a second what the pacer allowed.
     */
    private static final Duration WINDOW = Duration.ofSeconds(1);

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    static DispatchEnvironment environment;
    static final List<Long> callTimes = new CopyOnWriteArrayList<>();
    static Sender first;
    static Sender second;

    @BeforeAll
    static void start() {
        // The service decides; the test runs two sender instances of its own, to time their calls.
        environment = new DispatchEnvironment(
                kafka.broker(),
                "dispatch-throughput-it",
                LIMIT,
                Map.of("janela.dispatch.template-sync.enabled", false, "janela.dispatch.sender.enabled", false),
                // The sandbox enforces the limit as Meta does: a call with the limit's worth in the trailing second
                // before it is refused 130429.
                Map.of("janela.sandbox.phone-numbers[0].throughput-limit", LIMIT));
        environment.startService();
    }

    @AfterAll
    static void stop() {
        for (Sender sender : new Sender[] {first, second}) {
            if (sender != null) {
                sender.close();
            }
        }
        environment.close();
    }

    @Test
    void twoInstancesTogetherStayUnderTheNumbersLimitThroughABurstAndSendEachRequestOnce() {
        assertThat(environment.app().getBeanNamesForType(Sender.class))
                .as("the service runs without its own sender")
                .isEmpty();
        SimpleMeterRegistry firstMeters = new SimpleMeterRegistry();
        SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
        first = sender(environment.app(), "dispatch-throughput-it-1", firstMeters);
        second = sender(environment.app(), "dispatch-throughput-it-2", secondMeters);
        first.start();
        second.start();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> rate(secondMeters) > 0
                        && rate(firstMeters) > 0
                        && rate(firstMeters) + rate(secondMeters) == LIMIT);
        warmUp();
        callTimes.clear();
        environment.sandbox().intakeJitter(INTAKE_JITTER);

        List<String> requestIds = new ArrayList<>();
        List<String> contacts =
                IntStream.range(0, BURST).mapToObj(i -> "US.burst" + i).toList();
        for (String contact : contacts) {
            environment.window(contact, Instant.now().minus(Duration.ofHours(1)));
        }
        for (int i = 0; i < BURST; i++) {
            String requestId = "burst-" + i;
            requestIds.add(requestId);
            environment.request(
                    "k",
                    text(requestId, "sale starts now")
                            .setRecipient(new Recipient(null, contacts.get(i)))
                            .build());
        }

        try (TopicReader<String, DispatchResult> results = environment.results()) {
            List<DispatchResult> outcomes = Records.await(
                    results,
                    result -> result.getKind() == ResultKind.OUTCOME && requestIds.contains(result.getRequestId()),
                    BURST,
                    Duration.ofSeconds(120));
            assertThat(outcomes).extracting(DispatchResult::getOutcome).containsOnly(DispatchOutcome.SENT);
            assertThat(outcomes).extracting(DispatchResult::getRequestId).doesNotHaveDuplicates();
        }
        List<LoggedRequest> received = environment.sandbox().requests().stream()
                .filter(request ->
                        request.callbackData() != null && request.callbackData().startsWith("burst-"))
                .toList();
        environment.sandbox().intakeJitter(Duration.ZERO);
        assertThat(received)
                .as("every request reached Meta once, none refused 130429")
                .hasSize(BURST);
        assertThat(received).allMatch(LoggedRequest::accepted);
        List<Long> arrivals = received.stream()
                .map(request -> request.receivedAt().toEpochMilli() * 1_000_000L
                        + request.receivedAt().getNano() % 1_000_000)
                .sorted()
                .toList();
        assertThat(maxInAnyWindow(arrivals, WINDOW))
                .as("calls the receiver counted in its busiest %s", WINDOW)
                .isLessThanOrEqualTo(LIMIT);
        List<Long> calls = callTimes.stream().sorted().toList();
        assertThat(calls).hasSize(BURST);
        assertThat(maxInAnyWindow(calls, WINDOW))
                .as("calls the two instances made in the busiest %s; at %s", WINDOW, calls)
                .isLessThanOrEqualTo(LIMIT);
    }

    /**
     * One send through each partition first, so that what is measured is the pace, not the HTTP client's first
     * connections.
     */
    private static void warmUp() {
        List<String> warmUps =
                IntStream.range(0, 6).mapToObj(i -> "warm-up-" + i).toList();
        for (String requestId : warmUps) {
            String contact = "US." + requestId;
            environment.window(contact, Instant.now().minus(Duration.ofHours(1)));
            environment.request(
                    "k",
                    text(requestId, "hi")
                            .setRecipient(new Recipient(null, contact))
                            .build());
        }
        try (TopicReader<String, DispatchResult> results = environment.results()) {
            Records.await(
                    results, result -> warmUps.contains(result.getRequestId()), warmUps.size(), Duration.ofSeconds(60));
        }
    }

    /** A sender instance like the service's, whose calls to the Graph API are timed as they leave. */
    private static Sender sender(ConfigurableApplicationContext app, String instanceId, MeterRegistry meters) {
        KafkaProperties kafkaProperties = app.getBean(KafkaProperties.class);
        DispatchProperties properties = app.getBean(DispatchProperties.class);
        WebClient timed = GraphWebClients.create(properties.graphApi(), ObservationRegistry.NOOP)
                .mutate()
                .filter((request, next) -> {
                    // The monotonic clock the pacer uses: the wall clock may be slewed while the test runs.
                    callTimes.add(System.nanoTime());
                    return next.exchange(request);
                })
                .build();
        return new Sender(
                kafkaProperties.buildConsumerProperties(),
                kafkaProperties.buildProducerProperties(),
                "dispatch-throughput-it-sender",
                app.getBean(DispatchTopics.class),
                properties.sender().withInstanceId(instanceId),
                app.getBean(BusinessNumbers.class),
                new GraphApiClient(
                        timed,
                        properties.graphApi().version(),
                        JsonMapper.builder().build()),
                meters,
                Clock.systemUTC());
    }

    private static double rate(MeterRegistry meters) {
        var gauge = meters.find("janela.dispatch.throughput.rate").gauge();
        return gauge == null ? 0 : gauge.value();
    }

    /** The most calls in any window of this length, times in nanoseconds. */
    static int maxInAnyWindow(List<Long> times, Duration window) {
        int max = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= window.toNanos()) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }
}
