package io.janela.sandbox;

import static io.janela.sandbox.SandboxTestSupport.APP_SECRET;
import static io.janela.sandbox.SandboxTestSupport.PHONE_NUMBER_ID;
import static io.janela.sandbox.SandboxTestSupport.USER_ID;
import static io.janela.sandbox.SandboxTestSupport.WABA_ID;
import static io.janela.sandbox.SandboxTestSupport.WA_ID;
import static io.janela.sandbox.SandboxTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.sandbox.faults.Fault;
import io.janela.sandbox.webhooks.Signature;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

@TestPropertySource(properties = {"janela.sandbox.status-delay=10ms", "janela.sandbox.app-secret=" + APP_SECRET})
class StatusWebhooksTest extends WebhookSandboxTestCase {

    @Test
    void postsSentDeliveredAndReadSignedWithTheAppSecretAndPricedOnSentAndDelivered() {
        control.inbound(PHONE_NUMBER_ID, WA_ID, USER_ID, Instant.now());
        String wamid = sendMessage(resource("meta/send-text.json"));

        List<WebhookReceiver.Delivery> deliveries = awaitDeliveries(3);
        for (WebhookReceiver.Delivery delivery : deliveries) {
            assertThat(delivery.signature()).isEqualTo(Signature.sign(APP_SECRET, delivery.body()));
        }
        List<JsonNode> statuses =
                deliveries.stream().map(StatusWebhooksTest::status).toList();
        assertThat(statuses).extracting(s -> s.path("status").asString()).containsExactly("sent", "delivered", "read");
        JsonNode sent = statuses.getFirst();
        assertThat(sent.path("id").asString()).isEqualTo(wamid);
        assertThat(sent.path("recipient_id").asString()).isEqualTo(WA_ID);
        assertThat(sent.path("recipient_user_id").asString()).isEqualTo(USER_ID);
        assertThat(sent.path("biz_opaque_callback_data").asString()).isEqualTo("request-1");
        assertThat(sent.path("timestamp").isString()).isTrue();
        assertThat(sent.path("pricing").path("pricing_model").asString()).isEqualTo("PMP");
        assertThat(sent.path("pricing").path("category").asString()).isEqualTo("service");
        assertThat(statuses.get(1).has("pricing")).isTrue();
        assertThat(statuses.get(2).has("pricing")).isFalse();

        JsonNode envelope = json.readTree(deliveries.getFirst().body());
        assertThat(envelope.path("object").asString()).isEqualTo("whatsapp_business_account");
        assertThat(envelope.path("entry").get(0).path("id").asString()).isEqualTo(WABA_ID);
        JsonNode value = envelope.path("entry").get(0).path("changes").get(0).path("value");
        assertThat(value.path("metadata").path("phone_number_id").asString()).isEqualTo(PHONE_NUMBER_ID);
    }

    @Test
    void acceptsFreeFormOutsideTheWindowThenPostsAFailedStatusWith131047() {
        String wamid = sendMessage(resource("meta/send-text.json"));

        JsonNode failed = status(awaitDeliveries(1).getFirst());
        assertThat(failed.path("id").asString()).isEqualTo(wamid);
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("errors").get(0).path("code").asInt()).isEqualTo(131047);
        assertThat(failed.path("errors")
                        .get(0)
                        .path("error_data")
                        .path("details")
                        .asString())
                .isNotBlank();
        assertThat(failed.has("pricing")).isFalse();
        assertThat(failed.has("recipient_user_id")).isFalse();
        assertThat(failed.path("biz_opaque_callback_data").asString()).isEqualTo("request-1");
    }

    @Test
    void postsAnInjectedAsynchronousFailure() {
        control.inject(new Fault(null, null, 131026, null, Fault.Mode.ASYNC, 1, "Message undeliverable."));
        sendMessage(resource("meta/send-template.json"));

        JsonNode failed = status(awaitDeliveries(1).getFirst());
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        assertThat(failed.path("errors").get(0).path("code").asInt()).isEqualTo(131026);
    }

    private static JsonNode status(WebhookReceiver.Delivery delivery) {
        return json.readTree(delivery.body())
                .path("entry")
                .get(0)
                .path("changes")
                .get(0)
                .path("value")
                .path("statuses")
                .get(0);
    }
}
