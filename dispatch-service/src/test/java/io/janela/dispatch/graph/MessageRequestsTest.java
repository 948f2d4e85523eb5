package io.janela.dispatch.graph;

import static io.janela.dispatch.Fixtures.PHONE;
import static io.janela.dispatch.Fixtures.namedParameter;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InteractiveKind;
import io.janela.avro.InteractivePayload;
import io.janela.avro.MediaKind;
import io.janela.avro.MediaPayload;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.ReplyButton;
import io.janela.avro.SendCommand;
import io.janela.avro.TemplateButtonParameters;
import io.janela.avro.TemplateButtonType;
import io.janela.avro.TemplateParameter;
import io.janela.avro.TemplateParameterType;
import io.janela.avro.TemplatePayload;
import io.janela.avro.TextPayload;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON dispatch sends equals, field for field, the examples of WHATSAPP.md §4.2–§4.3 kept in resources. */
class MessageRequestsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void writesATextQuotingACustomerMessageAsMetaDocuments() throws IOException {
        OutboundRequest request = text("request-1", "")
                .setRecipient(new Recipient(PHONE, null))
                .setPayload(new TextPayload("As requested, here's the link: https://example.com", true))
                .setReplyToMessageId("wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=")
                .build();
        assertThat(json(request)).isEqualTo(expected("send-text.json"));
    }

    @Test
    void writesATextToAUserIdWithRecipientAndNoTo() throws IOException {
        assertThat(json(text("request-3", "Hello").build())).isEqualTo(expected("send-text-to-user-id.json"));
    }

    @Test
    void writesANamedTemplateWithHeaderBodyAndButtonComponents() throws IOException {
        TemplatePayload template = TemplatePayload.newBuilder()
                .setName("order_confirmation")
                .setLanguage("en_US")
                .setHeaderParameters(List.of(TemplateParameter.newBuilder()
                        .setType(TemplateParameterType.IMAGE)
                        .setMediaId("1234567890")
                        .build()))
                .setBodyParameters(List.of(
                        namedParameter("first_name", "Jessica"), namedParameter("order_number", "SKBUP2-4CPIG9")))
                .setButtons(List.of(
                        new TemplateButtonParameters(
                                TemplateButtonType.URL,
                                0,
                                List.of(TemplateParameter.newBuilder()
                                        .setType(TemplateParameterType.TEXT)
                                        .setText("Gon%C3%A7alves")
                                        .build())),
                        new TemplateButtonParameters(
                                TemplateButtonType.QUICK_REPLY,
                                1,
                                List.of(TemplateParameter.newBuilder()
                                        .setType(TemplateParameterType.PAYLOAD)
                                        .setText("STOP_PROMOS")
                                        .build()))))
                .build();
        OutboundRequest request = text("request-2", "")
                .setRecipient(new Recipient(PHONE, null))
                .setPayload(template)
                .build();
        assertThat(json(request)).isEqualTo(expected("send-template.json"));
    }

    @Test
    void writesReplyButtons() throws IOException {
        InteractivePayload buttons = InteractivePayload.newBuilder()
                .setKind(InteractiveKind.BUTTON)
                .setHeader("Delivery")
                .setBody("When should we deliver?")
                .setFooter("Reply with a button")
                .setButtons(List.of(new ReplyButton("today", "Today"), new ReplyButton("tomorrow", "Tomorrow")))
                .build();
        OutboundRequest request = text("request-4", "")
                .setRecipient(new Recipient(PHONE, null))
                .setPayload(buttons)
                .build();
        assertThat(json(request)).isEqualTo(expected("send-interactive-buttons.json"));
    }

    @Test
    void writesADocumentWithCaptionAndFilename() throws IOException {
        MediaPayload document = MediaPayload.newBuilder()
                .setKind(MediaKind.DOCUMENT)
                .setLink("https://example.com/invoice.pdf")
                .setCaption("Your invoice")
                .setFilename("invoice.pdf")
                .build();
        OutboundRequest request = text("request-5", "")
                .setRecipient(new Recipient(PHONE, null))
                .setPayload(document)
                .build();
        assertThat(json(request)).isEqualTo(expected("send-document.json"));
    }

    @Test
    void writesTheFallbackTemplateInsteadOfThePayloadWhenAsked() {
        OutboundRequest request = text("request-6", "hello")
                .setFallbackTemplate(io.janela.dispatch.Fixtures.templatePayload("reengage", "Ana")
                        .build())
                .build();
        JsonNode json = JSON.valueToTree(MessageRequests.of(GraphApiClientTest.command(request), true));
        assertThat(json.path("type").asString()).isEqualTo("template");
        assertThat(json.path("template").path("name").asString()).isEqualTo("reengage");
        assertThat(json.path("biz_opaque_callback_data").asString()).isEqualTo("request-6");
    }

    private static JsonNode json(OutboundRequest request) {
        SendCommand command = GraphApiClientTest.command(request);
        return JSON.valueToTree(MessageRequests.of(command, false));
    }

    private static JsonNode expected(String file) throws IOException {
        try (InputStream in = MessageRequestsTest.class.getResourceAsStream("/meta/" + file)) {
            return JSON.readTree(in);
        }
    }
}
