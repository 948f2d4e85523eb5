package io.janela.sandbox;

import static io.janela.sandbox.SandboxTestSupport.APP_SECRET;
import static io.janela.sandbox.SandboxTestSupport.PHONE_NUMBER_ID;
import static io.janela.sandbox.SandboxTestSupport.TOKEN;
import static io.janela.sandbox.SandboxTestSupport.USER_ID;
import static io.janela.sandbox.SandboxTestSupport.WA_ID;
import static io.janela.sandbox.SandboxTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.sandbox.webhooks.Signature;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

@TestPropertySource(properties = {"janela.sandbox.status-delay=10ms", "janela.sandbox.app-secret=" + APP_SECRET})
class CustomerWebhooksTest extends WebhookSandboxTestCase {

    @Test
    void postsACustomerTextWithItsAdReferralAsMetaShapesAndSignsIt() {
        JsonNode expected = json.readTree(resource("meta/webhooks/text-with-referral.json"));
        JsonNode referral = expected.at("/entry/0/changes/0/value/messages/0/referral");

        JsonNode answer = json.readTree(http.post()
                .uri("/sandbox/customer-messages")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "phoneNumberId",
                        PHONE_NUMBER_ID,
                        "waId",
                        "+1 650-555-1234",
                        "userId",
                        USER_ID,
                        "name",
                        "Sheena Nelson",
                        "text",
                        "I saw your ad: is it still on sale?",
                        "timestamp",
                        1749416383L,
                        "referral",
                        referral))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());

        assertThat(answer.path("webhookStatus").asInt()).isEqualTo(200);
        assertThat(answer.path("timestamp").asLong()).isEqualTo(1749416383L);
        String wamid = answer.path("messageId").asString();
        assertThat(wamid).startsWith("wamid.");
        WebhookReceiver.Delivery delivery = awaitDeliveries(1).getFirst();
        assertThat(delivery.signature()).isEqualTo(Signature.sign(APP_SECRET, delivery.body()));
        assertThat(json.readTree(delivery.body()))
                .isEqualTo(json.readTree(
                        resource("meta/webhooks/text-with-referral.json").replace("${wamid}", wamid)));
    }

    @Test
    void aCustomerMessageOpensTheSandboxWindowSoAFreeFormReplyIsDelivered() {
        control.customerWrites(PHONE_NUMBER_ID, WA_ID, null, "Hello", null);

        http.post()
                .uri("/v24.0/" + PHONE_NUMBER_ID + "/messages")
                .header("Authorization", "Bearer " + TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(resource("meta/send-text.json"))
                .exchange()
                .expectStatus()
                .isOk();

        List<JsonNode> webhooks =
                awaitDeliveries(4).stream().map(d -> json.readTree(d.body())).toList();
        JsonNode message = webhooks.getFirst().at("/entry/0/changes/0/value/messages/0");
        assertThat(message.path("from").asString()).isEqualTo(WA_ID);
        assertThat(message.has("from_user_id")).isFalse();
        assertThat(message.has("referral")).isFalse();
        assertThat(message.path("timestamp").isString()).isTrue();
        assertThat(webhooks.subList(1, 4))
                .extracting(
                        w -> w.at("/entry/0/changes/0/value/statuses/0/status").asString())
                .containsExactly("sent", "delivered", "read");
    }

    @Test
    void postsAMarketingStopAsAUserPreferencesWebhook() {
        http.post()
                .uri("/sandbox/user-preferences")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "phoneNumberId",
                        PHONE_NUMBER_ID,
                        "waId",
                        WA_ID,
                        "userId",
                        USER_ID,
                        "value",
                        "stop",
                        "timestamp",
                        1731705721L))
                .exchange()
                .expectStatus()
                .isOk();

        WebhookReceiver.Delivery delivery = awaitDeliveries(1).getFirst();
        assertThat(delivery.signature()).isEqualTo(Signature.sign(APP_SECRET, delivery.body()));
        assertThat(json.readTree(delivery.body()))
                .isEqualTo(json.readTree(resource("meta/webhooks/user-preferences-stop.json")));
    }

    @Test
    void refusesACustomerMessageWithoutTextOrIdentityOrForAnUnknownNumberAndPostsNothing() {
        customerMessage(Map.of("phoneNumberId", PHONE_NUMBER_ID, "waId", WA_ID)).isBadRequest();
        customerMessage(Map.of("phoneNumberId", PHONE_NUMBER_ID, "text", "hi")).isBadRequest();
        customerMessage(Map.of("phoneNumberId", PHONE_NUMBER_ID, "waId", WA_ID, "text", "hi", "referral", "ad"))
                .isBadRequest();
        customerMessage(Map.of("phoneNumberId", "999", "waId", WA_ID, "text", "hi"))
                .isNotFound();
        http.post()
                .uri("/sandbox/user-preferences")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("phoneNumberId", PHONE_NUMBER_ID, "waId", WA_ID, "value", "maybe"))
                .exchange()
                .expectStatus()
                .isBadRequest();

        // One more, accepted: had any refused one been posted, it would arrive first.
        control.customerWrites(PHONE_NUMBER_ID, WA_ID, null, "valid", null);
        assertThat(json.readTree(awaitDeliveries(1).getFirst().body())
                        .at("/entry/0/changes/0/value/messages/0/text/body")
                        .asString())
                .isEqualTo("valid");
    }

    private org.springframework.test.web.reactive.server.StatusAssertions customerMessage(Map<String, Object> body) {
        return http.post()
                .uri("/sandbox/customer-messages")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus();
    }
}
