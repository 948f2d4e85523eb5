package io.janela.dispatch.graph;

import static io.janela.dispatch.Fixtures.PHONE;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.USER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static io.janela.dispatch.Fixtures.WA_ID;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.Recipient;
import io.janela.avro.SendCommand;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.sandbox.CloudApiSandbox;
import io.janela.sandbox.faults.Fault;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The Graph API client against the Cloud API sandbox, which answers in Meta's documented shapes. */
class GraphApiClientTest {

    private static final String TOKEN = "graph-client-test-token";
    private static CloudApiSandbox sandbox;
    private static GraphApiClient client;

    @BeforeAll
    static void startSandbox() {
        SandboxGraph graph = SandboxGraph.start(TOKEN);
        sandbox = graph.sandbox();
        client = graph.client();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.control().reset();
        sandbox.control().inbound(PHONE_NUMBER_ID, WA_ID, USER_ID, Instant.now());
    }

    @Test
    void sendsATextAndReadsTheWamidAndTheRecipient() {
        SendResponse response = send(command(
                text("r-1", "hello").setRecipient(new Recipient(PHONE, null)).build()));

        assertThat(response).isInstanceOfSatisfying(SendResponse.Accepted.class, accepted -> {
            assertThat(accepted.wamid()).startsWith("wamid.");
            assertThat(accepted.waId()).isEqualTo(WA_ID);
        });
        assertThat(sandbox.control().accepted())
                .singleElement()
                .satisfies(request -> assertThat(request.callbackData()).isEqualTo("r-1"));
    }

    @Test
    void sendsATemplateWithPositionalParametersThatTheSandboxMatchesAgainstItsCatalog() {
        sandbox.control()
                .templates(
                        WABA_ID,
                        List.of(Map.of(
                                "name", "order_update",
                                "language", "en_US",
                                "status", "APPROVED",
                                "category", "UTILITY",
                                "components", List.of(Map.of("type", "BODY", "text", "Order {{1}} is {{2}}.")))));
        SendResponse response = send(command(text("r-2", "x")
                .setPayload(templatePayload("order_update", "42", "shipped").build())
                .build()));

        assertThat(response)
                .isInstanceOfSatisfying(
                        SendResponse.Accepted.class,
                        accepted -> assertThat(accepted.messageStatus()).isEqualTo("accepted"));
    }

    @Test
    void readsAGraphErrorByItsCodeAndDetails() {
        sandbox.control().inject(new Fault(null, null, 131056, null, Fault.Mode.SYNC, 1, "pair rate limit hit"));

        SendResponse response = send(command(text("r-3", "hello").build()));

        assertThat(response).isInstanceOfSatisfying(SendResponse.Refused.class, refused -> {
            assertThat(refused.httpStatus()).isEqualTo(400);
            assertThat(refused.error().code()).isEqualTo(131056);
            assertThat(refused.error().details()).isEqualTo("pair rate limit hit");
            assertThat(refused.error().fbtraceId()).isNotBlank();
        });
    }

    @Test
    void readsABareGatewayErrorAsARefusalWithoutAGraphError() {
        sandbox.control().inject(new Fault(null, null, null, 502, Fault.Mode.SYNC, 1, null));

        assertThat(send(command(text("r-4", "hello").build()))).isEqualTo(new SendResponse.Refused(502, null));
    }

    @Test
    void reportsAnUnansweredSendAsPossiblySent() {
        sandbox.control().inject(new Fault(null, null, null, null, Fault.Mode.TIMEOUT, 1, null));

        assertThat(send(command(text("r-5", "hello").build())))
                .isInstanceOfSatisfying(
                        SendResponse.Unanswered.class,
                        unanswered -> assertThat(unanswered.possiblySent()).isTrue());
    }

    @Test
    void reportsARefusedConnectionAsNeverSent() {
        DispatchProperties.GraphApi nowhere = new DispatchProperties.GraphApi(
                java.net.URI.create("http://127.0.0.1:1"), "v24.0", Duration.ofSeconds(2), Duration.ofSeconds(2), 1);
        GraphApiClient unreachable = new GraphApiClient(
                GraphWebClients.create(nowhere, ObservationRegistry.NOOP),
                "v24.0",
                JsonMapper.builder().build());

        SendResponse response = unreachable
                .send(
                        PHONE_NUMBER_ID,
                        TOKEN,
                        MessageRequests.of(command(text("r-6", "hello").build()), false))
                .block(Duration.ofSeconds(30));

        assertThat(response)
                .isInstanceOfSatisfying(
                        SendResponse.Unanswered.class,
                        unanswered -> assertThat(unanswered.possiblySent()).isFalse());
    }

    @Test
    void listsTemplatesPageByPage() {
        sandbox.control()
                .templates(
                        WABA_ID,
                        IntStream.range(0, 5)
                                .mapToObj(i -> Map.<String, Object>of(
                                        "id", "10" + i,
                                        "name", "template_" + i,
                                        "language", "en_US",
                                        "status", "APPROVED",
                                        "category", "MARKETING",
                                        "parameter_format", "POSITIONAL",
                                        "components", List.of(Map.of("type", "BODY", "text", "Hi {{1}}"))))
                                .toList());

        TemplatePage first = client.listTemplates(WABA_ID, TOKEN, null, 2).block(Duration.ofSeconds(30));
        TemplatePage second =
                client.listTemplates(WABA_ID, TOKEN, first.after(), 2).block(Duration.ofSeconds(30));
        TemplatePage third =
                client.listTemplates(WABA_ID, TOKEN, second.after(), 2).block(Duration.ofSeconds(30));

        assertThat(first.templates()).extracting(ListedTemplate::name).containsExactly("template_0", "template_1");
        assertThat(second.templates()).extracting(ListedTemplate::name).containsExactly("template_2", "template_3");
        assertThat(third.templates()).extracting(ListedTemplate::name).containsExactly("template_4");
        assertThat(third.after()).isNull();
        assertThat(first.templates().getFirst().components().get(0).path("text").asString())
                .isEqualTo("Hi {{1}}");
    }

    @Test
    void failsAListingWithTheGraphError() {
        assertThatThrownBy(() -> client.listTemplates(WABA_ID, "wrong", null, 2).block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(
                        GraphApiException.class,
                        e -> assertThat(e.error().code()).isEqualTo(190));
    }

    @Test
    void asksANumbersThroughputLevel() {
        assertThat(client.throughputLevel(PHONE_NUMBER_ID, TOKEN).block(Duration.ofSeconds(30)))
                .as("the sandbox's default, as Meta's")
                .isEqualTo("STANDARD");
    }

    @Test
    void failsAThroughputQuestionWithTheGraphError() {
        assertThatThrownBy(() -> client.throughputLevel("42", TOKEN).block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(GraphApiException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(400);
                    assertThat(e.error().code()).isEqualTo(100);
                    assertThat(e.error().subcode()).isEqualTo(33);
                });
        assertThatThrownBy(
                        () -> client.throughputLevel(PHONE_NUMBER_ID, "wrong").block(Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(
                        GraphApiException.class,
                        e -> assertThat(e.error().code()).isEqualTo(190));
    }

    @Test
    void tellsWhenTheRequestHasLeftLongBeforeTheAnswerComes() {
        // Issue 16, item 8: the pacer hears when a request was written (it counts calls from then on when set to
        // throughput-counted-at DEPARTURE; the departure meter times it either way).
        sandbox.control().latency(Duration.ofMillis(800), Duration.ZERO);
        try {
            AtomicLong writtenAt = new AtomicLong();
            AtomicInteger written = new AtomicInteger();
            SendResponse response = client.send(
                            PHONE_NUMBER_ID,
                            TOKEN,
                            MessageRequests.of(
                                    command(text("r-written", "hello")
                                            .setRecipient(new Recipient(PHONE, null))
                                            .build()),
                                    false),
                            () -> {
                                written.incrementAndGet();
                                writtenAt.set(System.nanoTime());
                            })
                    .block(Duration.ofSeconds(30));
            long answeredAt = System.nanoTime();

            assertThat(response).isInstanceOf(SendResponse.Accepted.class);
            assertThat(written).as("told once").hasValue(1);
            assertThat(Duration.ofNanos(answeredAt - writtenAt.get()))
                    .as("written before the sandbox's 800 ms answer")
                    .isGreaterThan(Duration.ofMillis(500));
        } finally {
            sandbox.control().latency(Duration.ZERO, Duration.ZERO);
        }
    }

    private static SendResponse send(SendCommand command) {
        return client.send(PHONE_NUMBER_ID, TOKEN, MessageRequests.of(command, false))
                .block(Duration.ofSeconds(30));
    }

    static SendCommand command(io.janela.avro.OutboundRequest request) {
        return Fixtures.sendCommand(request, null);
    }
}
