package io.janela.ingress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.ingress.TestWebhooks;
import io.janela.ingress.handshake.VerificationHandshake;
import io.janela.ingress.parse.WebhookParser;
import io.janela.ingress.publish.OutgoingRecords;
import io.janela.ingress.publish.SchemaWarmUp;
import io.janela.ingress.signature.SignatureVerifier;
import io.janela.serde.registry.MockSchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The HTTP contract of the Callback URL, over the real handler, parser and serdes; Kafka's answers are scripted. */
class WebhookHandlerTest {

    private static final String SCOPE = "webhook-handler-test";
    private static final String PATH = "/webhooks/whatsapp";
    private static final int MAX_BODY = 8192;
    private static final int INLINE_LIMIT = 2048;

    private final JanelaTopics topics = JanelaTopics.create(
            TopicNames.defaults(), ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE)));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScriptedPublisher publisher = new ScriptedPublisher();
    private final Scheduler largeBodies = Schedulers.newParallel("large-bodies", 1);
    private final Scheduler blockingBodies = Schedulers.newBoundedElastic(2, 100, "blocking-bodies");
    private final SchemaWarmUp schemas =
            new SchemaWarmUp(new OutgoingRecords(topics, Clock.systemUTC(), "ingress-service"));
    private final WebTestClient http = client();

    @AfterEach
    void dropRegistryAndSchedulers() {
        MockSchemaRegistry.dropScope(SCOPE);
        largeBodies.dispose();
        blockingBodies.dispose();
    }

    @Test
    void answersMetasHandshakeWithTheRawChallengeAsPlainText() {
        http.get()
                .uri(
                        PATH + "?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=1158201444",
                        TestWebhooks.VERIFY_TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_PLAIN)
                .expectBody(String.class)
                .isEqualTo("1158201444");
        assertThat(meters.get("janela.webhook.handshakes")
                        .tag("outcome", "verified")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void refusesAHandshakeWithAWrongTokenOrModeWith403() {
        http.get()
                .uri(PATH + "?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444")
                .exchange()
                .expectStatus()
                .isForbidden();
        http.get()
                .uri(PATH + "?hub.mode=unsubscribe&hub.verify_token={token}&hub.challenge=1", TestWebhooks.VERIFY_TOKEN)
                .exchange()
                .expectStatus()
                .isForbidden();
        http.get().uri(PATH).exchange().expectStatus().isForbidden();
        assertThat(meters.get("janela.webhook.handshakes")
                        .tag("outcome", "rejected")
                        .counter()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void answers200OnceEveryRecordIsAcknowledged() {
        byte[] body = TestWebhooks.load("messages/text.json");

        post(body, TestWebhooks.signature(body))
                .expectStatus()
                .isOk()
                .expectBody()
                .isEmpty();

        assertThat(publisher.publishedTo(topics.inboundMessages().name())).hasSize(1);
        assertThat(requests("accepted")).isEqualTo(1);
        assertThat(meters.get("janela.webhook.signatures.verified")
                        .tag("secret", "0")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void handlesSmallBodiesWhereTheyWereReadAndLargeOnesOnTheWorkerOnceSchemasAreKnown() {
        schemas.start(Schedulers.immediate(), Duration.ofSeconds(5));
        byte[] small = TestWebhooks.load("messages/text.json");
        byte[] large = TestWebhooks.load("batches/mixed-batch.json");
        assertThat(small.length).isLessThanOrEqualTo(INLINE_LIMIT);
        assertThat(large.length).isBetween(INLINE_LIMIT + 1, MAX_BODY);

        post(small, TestWebhooks.signature(small)).expectStatus().isOk();
        post(large, TestWebhooks.signature(large)).expectStatus().isOk();

        assertThat(schemas.done()).isTrue();
        assertThat(publisher.published()).hasSize(1 + 9);
        assertThat(publisher.threads().get(0)).doesNotStartWith("large-bodies").doesNotStartWith("blocking-bodies");
        assertThat(publisher.threads().get(1)).startsWith("large-bodies");
    }

    @Test
    void handlesEveryBodyWhereBlockingIsAllowedWhileSchemasAreUnknown() {
        byte[] small = TestWebhooks.load("messages/text.json");

        post(small, TestWebhooks.signature(small)).expectStatus().isOk();

        assertThat(schemas.done()).isFalse();
        assertThat(publisher.threads()).singleElement().asString().startsWith("blocking-bodies");
    }

    @Test
    void refusesAnUnsignedPostWith401AndPublishesNothing() {
        byte[] body = TestWebhooks.load("messages/text.json");

        http.post()
                .uri(PATH)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);

        assertThat(publisher.published()).isEmpty();
        assertThat(signatureRejections("missing")).isEqualTo(1);
        assertThat(requests("unauthorized")).isEqualTo(1);
    }

    @Test
    void refusesAMalformedOrWrongSignatureWith401AndPublishesNothing() {
        byte[] body = TestWebhooks.load("messages/text.json");

        post(body, "sha256=not-hex").expectStatus().isUnauthorized();
        post(body, TestWebhooks.signature("another-app-secret", body))
                .expectStatus()
                .isUnauthorized();
        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[tampered.length - 10] ^= 1;
        post(tampered, TestWebhooks.signature(body)).expectStatus().isUnauthorized();

        assertThat(publisher.published()).isEmpty();
        assertThat(signatureRejections("malformed")).isEqualTo(1);
        assertThat(signatureRejections("mismatch")).isEqualTo(2);
    }

    @Test
    void refusesADeclaredLengthAboveTheLimitWith413() {
        byte[] body = new byte[MAX_BODY + 1];
        Arrays.fill(body, (byte) ' ');

        post(body, TestWebhooks.signature(body)).expectStatus().isEqualTo(413);

        assertThat(publisher.published()).isEmpty();
        assertThat(requests("payload_too_large")).isEqualTo(1);
    }

    @Test
    void refusesAStreamedBodyThatGrowsBeyondTheLimitWith413() {
        byte[] chunk = new byte[MAX_BODY / 2 + 1];
        Arrays.fill(chunk, (byte) ' ');
        DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;

        http.post()
                .uri(PATH)
                .header(SignatureVerifier.HEADER, TestWebhooks.signature(new byte[0]))
                .body(Flux.just(buffers.wrap(chunk), buffers.wrap(chunk.clone())), DataBuffer.class)
                .exchange()
                .expectStatus()
                .isEqualTo(413);

        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void acceptsASignedBodyThatCannotBeParsedAfterDeadLetteringIt() {
        byte[] body = TestWebhooks.load("malformed/not-json.txt");

        post(body, TestWebhooks.signature(body)).expectStatus().isOk();

        assertThat(publisher.published()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(topics.webhooksDeadLetter().name());
            assertThat(record.value()).isEqualTo(body);
        });
        assertThat(requests("dead_lettered")).isEqualTo(1);
    }

    @Test
    void answers503WhenKafkaDoesNotAcknowledgeSoThatMetaRetries() {
        publisher.answer(record -> new TimeoutException("Expiring 1 record(s)"));
        byte[] body = TestWebhooks.load("messages/text.json");

        post(body, TestWebhooks.signature(body))
                .expectStatus()
                .isEqualTo(503)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(503);

        assertThat(requests("unavailable")).isEqualTo(1);
    }

    private WebTestClient.ResponseSpec post(byte[] body, String signature) {
        return http.post()
                .uri(PATH)
                .contentType(MediaType.APPLICATION_JSON)
                .header(SignatureVerifier.HEADER, signature)
                .bodyValue(body)
                .exchange();
    }

    private double requests(String outcome) {
        return meters.get("janela.webhooks.received")
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private double signatureRejections(String reason) {
        return meters.get("janela.webhook.signatures.rejected")
                .tag("reason", reason)
                .counter()
                .count();
    }

    private WebTestClient client() {
        Clock clock = Clock.systemUTC();
        WebhookMetrics metrics = new WebhookMetrics(meters, 1);
        WebhookIngestion ingestion = new WebhookIngestion(
                new WebhookParser(),
                new OutgoingRecords(topics, clock, "ingress-service"),
                publisher,
                metrics,
                clock,
                Duration.ofDays(36_500),
                Duration.ofDays(1));
        WebhookHandler handler = new WebhookHandler(
                new VerificationHandshake(TestWebhooks.VERIFY_TOKEN),
                new SignatureVerifier(List.of(TestWebhooks.APP_SECRET)),
                ingestion,
                metrics,
                largeBodies,
                blockingBodies,
                schemas,
                MAX_BODY,
                INLINE_LIMIT,
                Duration.ofSeconds(30));
        return WebTestClient.bindToRouterFunction(RouterFunctions.route()
                        .GET(PATH, handler::verify)
                        .POST(PATH, handler::receive)
                        .build())
                .configureClient()
                // A first request pays for class loading and the first Avro serialisation: seconds on a loaded CI host.
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }
}
