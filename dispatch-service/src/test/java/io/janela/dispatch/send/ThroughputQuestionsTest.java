package io.janela.dispatch.send;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.ThroughputLevel;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.graph.GraphApiClient;
import io.janela.dispatch.graph.GraphWebClients;
import io.janela.dispatch.graph.SandboxGraph;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * At start the sender asks Meta once for each number's throughput level ({@code GET /{phone-number-id}?fields=
 * throughput}, here the Cloud API sandbox, which answers in Meta's shape): the answer is a report of the time of
 * asking, which a newer report from whatsapp.account-events replaces and an older one does not; a pinned number is not
 * asked; a refusal or no answer within the time-out leaves the configured limit, counted.
 */
class ThroughputQuestionsTest {

    private static final String TOKEN = "throughput-questions-test-token";
    private static final Instant ASKED_AT = Instant.parse("2026-12-07T12:00:00Z");
    private static final DispatchProperties.ThroughputLevels LEVELS =
            new DispatchProperties.ThroughputLevels(80, 1000, true, Duration.ofSeconds(5));

    static {
        Fixtures.businessNumber(); // trusts Avro's generated classes
    }

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SenderMetrics metrics = new SenderMetrics(meters, () -> 0, () -> 0);

    @Test
    void aNumberIsPacedAtTheLevelMetaAnswersUntilANewerReportAndAPinnedOneIsNotAsked() {
        BusinessNumber number = number(PHONE_NUMBER_ID, TOKEN, 50, false);
        BusinessNumber coexistence = number("1003", TOKEN, 20, true); // unknown to the sandbox: refused if asked
        ThroughputReports reports = new ThroughputReports(List.of(number, coexistence), LEVELS);
        try (SandboxGraph graph =
                SandboxGraph.start(TOKEN, Map.of("janela.sandbox.phone-numbers[0].throughput-level", "HIGH"))) {
            questions(List.of(number, coexistence), graph.client(), Duration.ofSeconds(5), reports)
                    .ask()
                    .block(Duration.ofSeconds(30));
        }

        assertThat(reports.limit(number)).isEqualTo(new ThroughputReports.Limit(1000, "high"));
        assertThat(reports.reportedAt(PHONE_NUMBER_ID)).as("the time of asking").isEqualTo(ASKED_AT);
        assertThat(reports.limit(coexistence)).isEqualTo(new ThroughputReports.Limit(20, "pinned"));
        assertThat(asked("answered")).isEqualTo(1.0);
        assertThat(asked("refused")).as("the pinned number was not asked").isZero();
        assertThat(asked("unanswered")).isZero();

        reports.accept(WABA_ID + ":THROUGHPUT:" + PHONE_NUMBER_ID + ":1", report(ASKED_AT.minusSeconds(3600)));
        assertThat(reports.limit(number))
                .as("a report older than the answer, read after it")
                .isEqualTo(new ThroughputReports.Limit(1000, "high"));
        reports.accept(WABA_ID + ":THROUGHPUT:" + PHONE_NUMBER_ID + ":2", report(ASKED_AT.plusSeconds(60)));
        assertThat(reports.limit(number))
                .as("Meta's report after the question")
                .isEqualTo(new ThroughputReports.Limit(80, "standard"));
    }

    @Test
    void aRefusedQuestionLeavesTheConfiguredLimitAndIsCountedOnce() {
        BusinessNumber unknown = number("1002", TOKEN, 50, false);
        BusinessNumber wrongToken = number(PHONE_NUMBER_ID, "wrong", 60, false);
        ThroughputReports reports = new ThroughputReports(List.of(unknown, wrongToken), LEVELS);
        try (SandboxGraph graph = SandboxGraph.start(TOKEN)) {
            questions(List.of(unknown, wrongToken), graph.client(), Duration.ofSeconds(5), reports)
                    .ask()
                    .block(Duration.ofSeconds(30));
        }

        assertThat(reports.limit(unknown)).isEqualTo(new ThroughputReports.Limit(50, "configured"));
        assertThat(reports.limit(wrongToken)).isEqualTo(new ThroughputReports.Limit(60, "configured"));
        assertThat(asked("refused")).isEqualTo(2.0);
        assertThat(asked("answered")).isZero();
    }

    @Test
    void aQuestionWithoutAnAnswerIsGivenUpAfterItsTimeOut() throws IOException {
        BusinessNumber number = number(PHONE_NUMBER_ID, TOKEN, 50, false);
        ThroughputReports reports = new ThroughputReports(List.of(number), LEVELS);
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // reads nothing, answers nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            GraphApiClient client = new GraphApiClient(
                    GraphWebClients.create(
                            new DispatchProperties.GraphApi(
                                    URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                                    "v24.0",
                                    Duration.ofSeconds(5),
                                    Duration.ofSeconds(60),
                                    4),
                            ObservationRegistry.NOOP),
                    "v24.0",
                    JsonMapper.builder().build());
            long started = System.nanoTime();
            questions(List.of(number), client, Duration.ofSeconds(1), reports)
                    .ask()
                    .block(Duration.ofSeconds(30));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("given up at its time-out, not the client's 60 s")
                    .isLessThan(Duration.ofSeconds(10));
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }

        assertThat(reports.limit(number)).isEqualTo(new ThroughputReports.Limit(50, "configured"));
        assertThat(asked("unanswered")).isEqualTo(1.0);
        assertThat(accepted).as("asked once, not again").hasSize(1);
    }

    @Test
    void theQuestionMetersExistAtZeroFromTheStart() {
        for (String outcome : ThroughputQuestions.OUTCOMES) {
            assertThat(asked(outcome)).as(outcome).isZero();
        }
    }

    private ThroughputQuestions questions(
            List<BusinessNumber> numbers, GraphApiClient client, Duration timeout, ThroughputReports reports) {
        return new ThroughputQuestions(
                new BusinessNumbers(numbers),
                client,
                timeout,
                Clock.fixed(ASKED_AT, ZoneOffset.UTC),
                reports::accept,
                metrics::throughputAsked);
    }

    private double asked(String outcome) {
        return meters.get("janela.dispatch.throughput.asked")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private static AccountEvent report(Instant at) {
        return AccountEvent.newBuilder()
                .setKind(AccountEventKind.THROUGHPUT)
                .setField("phone_number_quality_update")
                .setEvent("THROUGHPUT_DOWNGRADE")
                .setWabaId(WABA_ID)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setThroughputLevel(ThroughputLevel.STANDARD)
                .setTimestamp(at)
                .setRawJson("{}")
                .build();
    }

    private static BusinessNumber number(String id, String token, int limit, boolean pinned) {
        return new BusinessNumber(id, WABA_ID, null, token, null, limit, ZoneId.of("UTC"), null, pinned);
    }
}
