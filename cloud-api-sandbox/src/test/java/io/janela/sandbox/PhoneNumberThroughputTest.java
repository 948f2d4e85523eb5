package io.janela.sandbox;

import static io.janela.sandbox.SandboxTestSupport.PHONE_NUMBER_ID;
import static io.janela.sandbox.SandboxTestSupport.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /{phone-number-id}?fields=throughput} in Meta's shape ({@code {"throughput": {"level": ...}, "id": ...}},
 * WHATSAPP.md §6.1), with the number's configured {@code throughput-level}, and Meta's error envelope for an unknown
 * number, a wrong token and a field the node does not have.
 */
@SandboxTest
@TestPropertySource(properties = "janela.sandbox.phone-numbers[0].throughput-level=HIGH")
class PhoneNumberThroughputTest {

    static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    WebTestClient http;

    @Test
    void answersTheNumbersThroughputLevelInMetasShape() {
        byte[] body = http.get()
                .uri("/v24.0/" + PHONE_NUMBER_ID + "?fields=throughput")
                .header("Authorization", "Bearer " + TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode answer = json.readTree(body);
        assertThat(answer.path("throughput").path("level").asString()).isEqualTo("HIGH");
        assertThat(answer.path("id").asString()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(answer.propertyNames()).containsExactly("throughput", "id");
    }

    @Test
    void refusesAnUnknownNumberAWrongTokenAndAFieldTheNodeDoesNotHaveInMetasEnvelope() {
        http.get()
                .uri("/v24.0/42?fields=throughput")
                .header("Authorization", "Bearer " + TOKEN)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(100)
                .jsonPath("$.error.error_subcode")
                .isEqualTo(33)
                .jsonPath("$.error.type")
                .isEqualTo("GraphMethodException")
                .jsonPath("$.error.message")
                .value(message -> assertThat((String) message).startsWith("(#100) Unsupported get request."));
        http.get()
                .uri("/v24.0/" + PHONE_NUMBER_ID + "?fields=throughput")
                .header("Authorization", "Bearer wrong")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(190);
        http.get()
                .uri("/v24.0/" + PHONE_NUMBER_ID + "?fields=throughput,speed")
                .header("Authorization", "Bearer " + TOKEN)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.message")
                .isEqualTo(
                        "(#100) Tried accessing nonexisting field (speed) on node type (WhatsAppBusinessPhoneNumber)");
    }
}
