package io.janela.sandbox.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.sandbox.graph.GraphErrorException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class SendParserTest {

    private final SendParser parser = new SendParser(JsonMapper.builder().build());

    @Test
    void readsRecipientTypeAndCallbackDataOfAText() {
        ParsedSend send = parser.parse("""
                {"messaging_product":"whatsapp","to":"+1 650-555-1234","type":"text","text":{"body":"hi"},
                 "biz_opaque_callback_data":"r-1"}""");
        assertThat(send.waId()).isEqualTo("16505551234");
        assertThat(send.recipient()).isEqualTo("16505551234");
        assertThat(send.freeForm()).isTrue();
        assertThat(send.callbackData()).isEqualTo("r-1");
    }

    @Test
    void sendsToThePhoneNumberWhenBothRecipientFormsAreGiven() {
        ParsedSend send = parser.parse("""
                {"messaging_product":"whatsapp","to":"+16505551234","recipient":"US.1","type":"text",
                 "text":{"body":"hi"}}""");
        assertThat(send.recipient()).isEqualTo("16505551234");
    }

    @Test
    void refusesMediaWithBothAnIdAndALink() {
        assertCode("""
                {"messaging_product":"whatsapp","to":"+1","type":"image","image":{"id":"1","link":"https://x"}}""", 100);
    }

    @Test
    void refusesMediaLinksThatAreNotHttps() {
        assertCode("""
                {"messaging_product":"whatsapp","to":"+1","type":"document","document":{"link":"http://x"}}""", 131009);
    }

    @Test
    void refusesMoreThanThreeReplyButtons() {
        String button = "{\"type\":\"reply\",\"reply\":{\"id\":\"a\",\"title\":\"A\"}}";
        assertCode("""
                {"messaging_product":"whatsapp","to":"+1","type":"interactive","interactive":{"type":"button",
                 "body":{"text":"pick"},"action":{"buttons":[%s,%s,%s,%s]}}}""".formatted(button, button, button, button), 131009);
    }

    @Test
    void refusesACallbackDataOverFiveHundredTwelveCharacters() {
        assertCode("""
                {"messaging_product":"whatsapp","to":"+1","type":"text","text":{"body":"hi"},
                 "biz_opaque_callback_data":"%s"}""".formatted("x".repeat(513)), 100);
    }

    @Test
    void refusesABodyThatIsNotJson() {
        assertCode("not json", 100);
    }

    private void assertCode(String body, int code) {
        assertThatThrownBy(() -> parser.parse(body))
                .isInstanceOfSatisfying(
                        GraphErrorException.class,
                        e -> assertThat(e.error().code()).isEqualTo(code));
    }
}
