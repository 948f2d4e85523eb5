package io.janela.sandbox;

import static io.janela.sandbox.SandboxTestSupport.TOKEN;
import static io.janela.sandbox.SandboxTestSupport.WABA_ID;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SandboxTest
class TemplateListingTest {

    static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    WebTestClient http;

    @Test
    void listsTemplatesPageByPageFollowingTheNextLink() {
        JsonNode first = get("/v23.0/" + WABA_ID + "/message_templates?limit=2&fields=name,status");
        assertThat(first.path("data").size()).isEqualTo(2);
        assertThat(first.path("data").get(0).path("name").asString()).isEqualTo("order_confirmation");
        assertThat(first.path("paging").path("cursors").path("after").asString())
                .isNotBlank();
        URI next = URI.create(first.path("paging").path("next").asString());

        JsonNode second = get(next.getRawPath() + "?" + next.getRawQuery());
        assertThat(second.path("data").size()).isEqualTo(1);
        assertThat(second.path("data").get(0).path("name").asString()).isEqualTo("verification_code");
        assertThat(second.path("paging").has("next")).isFalse();
    }

    @Test
    void filtersByStatus() {
        JsonNode approved = get("/v23.0/" + WABA_ID + "/message_templates?status=APPROVED");
        assertThat(approved.path("data").values())
                .extracting(t -> t.path("status").asString())
                .containsOnly("APPROVED")
                .hasSize(2);
    }

    @Test
    void refusesAnUnknownBusinessAccount() {
        http.get()
                .uri("/v23.0/42/message_templates")
                .header("Authorization", "Bearer " + TOKEN)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error.code")
                .isEqualTo(100);
    }

    private JsonNode get(String uri) {
        byte[] body = http.get()
                .uri(uri)
                .header("Authorization", "Bearer " + TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return json.readTree(body);
    }
}
