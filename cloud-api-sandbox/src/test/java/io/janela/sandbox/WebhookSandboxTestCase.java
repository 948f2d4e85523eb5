package io.janela.sandbox;

import static io.janela.sandbox.SandboxTestSupport.PHONE_NUMBER_ID;
import static io.janela.sandbox.SandboxTestSupport.TOKEN;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A test of what the sandbox posts as webhooks: a sandbox on a random port posting to a {@link WebhookReceiver},
 * reset before each test, with the calls such tests make. A subclass adds its properties with
 * {@code @TestPropertySource} and may prepare more in a {@code @BeforeEach} of its own (which runs after this one).
 */
@SandboxTest
@Import(WebhookReceiverConfiguration.class)
abstract class WebhookSandboxTestCase {

    static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    WebTestClient http;

    @Autowired
    WebhookReceiver receiver;

    @LocalServerPort
    int port;

    SandboxControl control;

    @BeforeEach
    void resetSandbox() {
        control = new SandboxControl(URI.create("http://127.0.0.1:" + port));
        control.reset();
        receiver.skipDelivered();
    }

    /** The next {@code count} webhooks since the last {@link WebhookReceiver#skipDelivered()}, once they arrived. */
    List<WebhookReceiver.Delivery> awaitDeliveries(int count) {
        return receiver.awaitNext(count);
    }

    /** Sends {@code body} through the Cloud API's {@code /messages} as the business number; the accepted wamid. */
    String sendMessage(String body) {
        JsonNode answer = json.readTree(http.post()
                .uri("/v24.0/" + PHONE_NUMBER_ID + "/messages")
                .header("Authorization", "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
        return answer.at("/messages/0/id").asString();
    }

    /** Posts {@code body} to a control endpoint that must answer 200; its answer. */
    JsonNode postOk(String path, Map<String, Object> body) {
        return json.readTree(http.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    }
}
