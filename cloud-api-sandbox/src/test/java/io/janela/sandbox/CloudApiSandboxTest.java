package io.janela.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.sandbox.control.LoggedRequest;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

class CloudApiSandboxTest {

    @Test
    void startsInsideAnotherJvmOnAFreePortWithTheGivenPropertiesOverItsOwnFile() {
        try (CloudApiSandbox sandbox = CloudApiSandbox.start(Map.of(
                "server.port", 0,
                "janela.sandbox.phone-numbers[0].id", "7",
                "janela.sandbox.phone-numbers[0].waba-id", "8",
                "janela.sandbox.phone-numbers[0].display-phone-number", "15550000007"))) {
            assertThat(sandbox.port()).isPositive();
            sandbox.control().inbound("7", "16505551234", null, Instant.now());

            String response = WebClient.create(sandbox.baseUrl().toString())
                    .post()
                    .uri("/v24.0/7/messages")
                    .header("Authorization", "Bearer any")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("""
                            {"messaging_product":"whatsapp","to":"+16505551234","type":"text","text":{"body":"hi"}}""")
                    .retrieve()
                    .bodyToMono(String.class)
                    .block();

            assertThat(response).contains("wamid.");
            assertThat(sandbox.control().requests())
                    .extracting(LoggedRequest::phoneNumberId, LoggedRequest::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("7", "ACCEPTED"));
        }
    }
}
