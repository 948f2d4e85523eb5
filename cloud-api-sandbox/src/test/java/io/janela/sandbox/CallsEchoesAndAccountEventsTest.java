package io.janela.sandbox;

import static io.janela.sandbox.SandboxTestSupport.APP_SECRET;
import static io.janela.sandbox.SandboxTestSupport.PHONE_NUMBER_ID;
import static io.janela.sandbox.SandboxTestSupport.TOKEN;
import static io.janela.sandbox.SandboxTestSupport.USER_ID;
import static io.janela.sandbox.SandboxTestSupport.WABA_ID;
import static io.janela.sandbox.SandboxTestSupport.WA_ID;
import static io.janela.sandbox.SandboxTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.sandbox.faults.Fault;
import io.janela.sandbox.webhooks.Signature;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** WHATSAPP.md §11: calls, Business-app echoes, account events and the 2026 error codes, as the sandbox plays them. */
@TestPropertySource(properties = {"janela.sandbox.status-delay=10ms", "janela.sandbox.app-secret=" + APP_SECRET})
class CallsEchoesAndAccountEventsTest extends WebhookSandboxTestCase {

    @Test
    void postsAUserCallInMetasShapeSigned() {
        JsonNode answer = postOk(
                "/sandbox/customer-calls",
                Map.of(
                        "phoneNumberId", PHONE_NUMBER_ID,
                        "waId", WA_ID,
                        "userId", USER_ID,
                        "name", "Sheena Nelson",
                        "timestamp", 1765000000L));

        String callId = answer.path("id").asString();
        assertThat(callId).startsWith("wacid.");
        assertThat(answer.path("webhookStatus").asInt()).isEqualTo(200);
        WebhookReceiver.Delivery delivery = awaitDeliveries(1).getFirst();
        assertThat(delivery.signature()).isEqualTo(Signature.sign(APP_SECRET, delivery.body()));
        assertThat(json.readTree(delivery.body()))
                .isEqualTo(json.readTree(
                        resource("meta/webhooks/call-connect.json").replace("${callId}", callId)));
    }

    @Test
    void aUserCallOpensTheWindowSoAFreeFormReplyIsDelivered() {
        control.customerCalls(PHONE_NUMBER_ID, WA_ID, null);

        sendText();

        assertThat(statusesAfter(1, 3)).containsExactly("sent", "delivered", "read");
    }

    @Test
    void postsABusinessCallStatusAndOnlyAnAcceptedCallOpensTheWindow() {
        String callId = control.businessCallStatus(PHONE_NUMBER_ID, WA_ID, USER_ID, null, "RINGING");
        sendText();
        assertThat(statusesAfter(1, 1)).containsExactly("failed");
        receiver.skipDelivered();

        postOk(
                "/sandbox/business-calls",
                Map.of(
                        "phoneNumberId",
                        PHONE_NUMBER_ID,
                        "waId",
                        WA_ID,
                        "userId",
                        USER_ID,
                        "callId",
                        "wacid.HBgLMTY1MDU1NTEyMzQVAgARGCBCQUQ0QzY4NTc3QjE0QjQ5QjA5QTE2RUNGMzQ0RUM3RgA=",
                        "status",
                        "ACCEPTED",
                        "bizOpaqueCallbackData",
                        "campaign-7",
                        "timestamp",
                        1765000300L));
        assertThat(json.readTree(awaitDeliveries(1).getFirst().body()))
                .isEqualTo(json.readTree(resource("meta/webhooks/business-call-accepted.json")));
        assertThat(callId).startsWith("wacid.");

        // Accepted now (the call above is dated 2025): the window opens.
        receiver.skipDelivered();
        control.businessCallStatus(PHONE_NUMBER_ID, WA_ID, USER_ID, callId, "ACCEPTED");
        sendText();
        assertThat(statusesAfter(1, 3)).containsExactly("sent", "delivered", "read");
    }

    @Test
    void postsAnAppEchoInMetasShapeThatOpensNoWindow() {
        JsonNode answer = postOk(
                "/sandbox/echoes",
                Map.of(
                        "phoneNumberId", PHONE_NUMBER_ID,
                        "waId", WA_ID,
                        "userId", USER_ID,
                        "text", "Hi, your order has shipped",
                        "timestamp", 1765000500L));
        String wamid = answer.path("id").asString();
        assertThat(json.readTree(awaitDeliveries(1).getFirst().body()))
                .isEqualTo(
                        json.readTree(resource("meta/webhooks/echo-text.json").replace("${wamid}", wamid)));

        receiver.skipDelivered();
        control.appEcho(PHONE_NUMBER_ID, WA_ID, USER_ID, "sent from the app just now");
        sendText();
        assertThat(statusesAfter(1, 1)).containsExactly("failed");
    }

    @Test
    void postsAccountEventsAsGivenUnderTheAccountsEntryWithItsTime() {
        control.accountEvent(
                null,
                "account_update",
                Map.of(
                        "event",
                        "ACCOUNT_RESTRICTION",
                        "restriction_info",
                        List.of(Map.of(
                                "restriction_type", "RESTRICTED_BIZ_INITIATED_MESSAGING", "expiration", 1765605700L))));
        control.accountEvent(
                null,
                "user_id_update",
                Map.of(
                        "user_id_update",
                        List.of(Map.of(
                                "wa_id",
                                WA_ID,
                                "user_id",
                                Map.of("previous", USER_ID, "current", "US.24817305912873645029"),
                                "timestamp",
                                "1765001400"))));

        List<JsonNode> webhooks =
                awaitDeliveries(2).stream().map(d -> json.readTree(d.body())).toList();
        JsonNode restriction = webhooks.get(0).at("/entry/0");
        assertThat(restriction.path("id").asString()).isEqualTo(WABA_ID);
        assertThat(restriction.path("time").isIntegralNumber()).isTrue();
        assertThat(restriction.at("/changes/0/field").asString()).isEqualTo("account_update");
        assertThat(restriction
                        .at("/changes/0/value/restriction_info/0/restriction_type")
                        .asString())
                .isEqualTo("RESTRICTED_BIZ_INITIATED_MESSAGING");
        JsonNode userIdChange = webhooks.get(1).at("/entry/0/changes/0/value");
        assertThat(userIdChange.at("/metadata/phone_number_id").asString()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(userIdChange.at("/user_id_update/0/user_id/current").asString())
                .isEqualTo("US.24817305912873645029");

        http.post()
                .uri("/sandbox/account-events")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("field", "account_alerts", "value", Map.of()))
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void refusesWithThe2026ErrorCodesUnderTheirTitles() {
        Map<Integer, String> titles = Map.of(
                131049, "This message was not delivered to maintain healthy ecosystem engagement.",
                131062, "BSUID recipients are not supported for this message",
                131063, "Marketing template messages are disabled for Cloud API on this account",
                131064, "Messaging limit reached due to template classification violations",
                147001, "Username not available",
                131060, "Message unavailable");
        titles.forEach((code, title) -> {
            control.inject(new Fault(PHONE_NUMBER_ID, null, code, null, Fault.Mode.SYNC, 1, null));
            JsonNode error = json.readTree(http.post()
                            .uri("/v24.0/" + PHONE_NUMBER_ID + "/messages")
                            .header("Authorization", "Bearer " + TOKEN)
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(resource("meta/send-text.json"))
                            .exchange()
                            .expectStatus()
                            .isBadRequest()
                            .expectBody()
                            .returnResult()
                            .getResponseBody())
                    .path("error");
            assertThat(error.path("code").asInt()).isEqualTo(code);
            assertThat(error.path("message").asString()).isEqualTo("(#" + code + ") " + title);
        });
    }

    private void sendText() {
        sendMessage(resource("meta/send-text.json"));
    }

    /** The statuses of the {@code count} status webhooks that follow the first {@code skip} deliveries. */
    private List<String> statusesAfter(int skip, int count) {
        return awaitDeliveries(skip + count).subList(skip, skip + count).stream()
                .map(d -> json.readTree(d.body())
                        .at("/entry/0/changes/0/value/statuses/0/status")
                        .asString())
                .toList();
    }
}
