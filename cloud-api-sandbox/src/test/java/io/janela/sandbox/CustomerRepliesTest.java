package io.janela.sandbox;

import static io.janela.sandbox.SandboxTestSupport.APP_SECRET;
import static io.janela.sandbox.SandboxTestSupport.PHONE_NUMBER_ID;
import static io.janela.sandbox.SandboxTestSupport.USER_ID;
import static io.janela.sandbox.SandboxTestSupport.WA_ID;
import static io.janela.sandbox.SandboxTestSupport.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.sandbox.webhooks.Signature;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A customer taps a choice of a message the business sent (a list row, a template quick reply): the sandbox posts the
 * reply Meta would post, with {@code context.id} = that message's wamid, and refuses a choice the message did not
 * offer or a message the customer never got.
 */
@TestPropertySource(
        properties = {
            "janela.sandbox.status-delay=10ms",
            "janela.sandbox.statuses=SENT",
            "janela.sandbox.app-secret=" + APP_SECRET
        })
class CustomerRepliesTest extends WebhookSandboxTestCase {

    private static final String LIST = """
            {"messaging_product": "whatsapp", "recipient": "%s", "type": "interactive",
             "interactive": {"type": "list", "body": {"text": "How would you rate the help you received?"},
               "action": {"button": "Rate", "sections": [{"title": "Your rating", "rows": [
                 {"id": "csat:s1:5", "title": "5 - Excellent"}, {"id": "csat:s1:4", "title": "4 - Good"},
                 {"id": "csat:s1:2", "title": "2 - Poor", "description": "not great"}]}]}},
             "biz_opaque_callback_data": "survey:s1"}""".formatted(USER_ID);

    @BeforeEach
    void theCustomerWroteFirst() {
        control.customerWrites(PHONE_NUMBER_ID, WA_ID, USER_ID, "Hello", null);
        receiver.skipDelivered();
    }

    @Test
    void aCustomerPicksAListRowByTheStartOfItsTitleAndTheReplyNamesTheListInItsContext() {
        String listWamid = sendMessage(LIST);
        awaitDeliveries(1); // its sent status

        JsonNode answer = reply(Map.of("waId", WA_ID, "choice", "2"), 200);

        WebhookReceiver.Delivery delivery = awaitDeliveries(2).get(1);
        assertThat(delivery.signature()).isEqualTo(Signature.sign(APP_SECRET, delivery.body()));
        JsonNode value = json.readTree(delivery.body()).at("/entry/0/changes/0/value");
        JsonNode message = value.path("messages").get(0);
        assertThat(message.path("id").asString())
                .isEqualTo(answer.path("messageId").asString());
        assertThat(message.at("/context/id").asString()).isEqualTo(listWamid);
        assertThat(message.at("/context/from").asString()).isEqualTo("15550783881");
        assertThat(message.path("from").asString()).isEqualTo(WA_ID);
        assertThat(message.path("from_user_id").asString()).isEqualTo(USER_ID);
        assertThat(message.path("type").asString()).isEqualTo("interactive");
        assertThat(message.at("/interactive/type").asString()).isEqualTo("list_reply");
        assertThat(message.at("/interactive/list_reply/id").asString()).isEqualTo("csat:s1:2");
        assertThat(message.at("/interactive/list_reply/title").asString()).isEqualTo("2 - Poor");
        assertThat(message.at("/interactive/list_reply/description").asString()).isEqualTo("not great");
        assertThat(value.at("/contacts/0/user_id").asString()).isEqualTo(USER_ID);
    }

    @Test
    void aCustomerTapsATemplateQuickReplyNamedByItsWamidAndGetsTheTemplatesButtonText() {
        String older = sendMessage(LIST);
        String template = sendMessage(resource("meta/send-template.json"));
        awaitDeliveries(2);

        reply(Map.of("userId", USER_ID, "contextId", template, "choice", "STOP_PROMOS"), 200);
        reply(Map.of("userId", USER_ID, "contextId", older, "choice", "csat:s1:5"), 200);

        List<JsonNode> replies = awaitDeliveries(4).subList(2, 4).stream()
                .map(d -> json.readTree(d.body()).at("/entry/0/changes/0/value/messages/0"))
                .toList();
        assertThat(replies.get(0).path("type").asString()).isEqualTo("button");
        assertThat(replies.get(0).at("/context/id").asString()).isEqualTo(template);
        assertThat(replies.get(0).at("/button/payload").asString()).isEqualTo("STOP_PROMOS");
        assertThat(replies.get(0).at("/button/text").asString()).isEqualTo("Stop promotions");
        assertThat(replies.get(1).at("/context/id").asString()).isEqualTo(older);
        assertThat(replies.get(1).at("/interactive/list_reply/title").asString())
                .isEqualTo("5 - Excellent");
    }

    @Test
    void refusesAChoiceTheMessageDidNotOfferAndAMessageTheCustomerNeverGotAndPostsNothing() {
        reply(Map.of("waId", WA_ID, "choice", "5"), 404); // nothing with choices sent yet
        String listWamid = sendMessage(LIST);
        awaitDeliveries(1);
        reply(Map.of("waId", WA_ID, "choice", "3"), 400); // no row 3
        reply(Map.of("waId", "5511900000000", "contextId", listWamid, "choice", "5"), 404); // someone else's
        reply(Map.of("waId", WA_ID, "contextId", "wamid.unknown", "choice", "5"), 404);
        reply(Map.of("waId", WA_ID), 400);

        reply(Map.of("waId", WA_ID, "choice", "5 - excellent"), 200);
        // Had any refused one been posted, it would come before this one.
        assertThat(json.readTree(awaitDeliveries(2).get(1).body())
                        .at("/entry/0/changes/0/value/messages/0/interactive/list_reply/id")
                        .asString())
                .isEqualTo("csat:s1:5");
    }

    private JsonNode reply(Map<String, Object> fields, int status) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("phoneNumberId", PHONE_NUMBER_ID);
        byte[] answer = http.post()
                .uri("/sandbox/customer-replies")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectBody()
                .returnResult()
                .getResponseBody();
        return answer == null ? json.createObjectNode() : json.readTree(answer);
    }
}
