package io.janela.dispatch.rules;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.templatePayload;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InteractiveKind;
import io.janela.avro.InteractivePayload;
import io.janela.avro.MediaKind;
import io.janela.avro.MediaPayload;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.ReplyButton;
import io.janela.avro.TemplateParameter;
import io.janela.avro.TemplateParameterType;
import io.janela.avro.TextPayload;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator(PHONE_NUMBER_ID::equals);

    @Test
    void acceptsAWellFormedTextToAUserId() {
        assertThat(validator.problem(text("r-1", "hello").build())).isEmpty();
    }

    @Test
    void refusesARequestWithoutARequestId() {
        assertThat(validator.problem(text(" ", "hello").build()))
                .hasValueSatisfying(p -> assertThat(p).contains("requestId"));
    }

    @Test
    void refusesAnUnknownBusinessPhoneNumber() {
        assertThat(validator.problem(
                        text("r-1", "hello").setPhoneNumberId("999").build()))
                .hasValueSatisfying(p -> assertThat(p).contains("unknown business phone number id 999"));
    }

    @Test
    void refusesARequestWithoutRecipient() {
        assertThat(validator.problem(text("r-1", "hello")
                        .setRecipient(new Recipient(null, null))
                        .build()))
                .hasValueSatisfying(p -> assertThat(p).contains("no recipient"));
    }

    @Test
    void refusesAPhoneNumberWithoutThePlusSoThatMetaDoesNotPrependTheBusinessCountryCode() {
        assertThat(validator.problem(text("r-1", "hello")
                        .setRecipient(new Recipient("16505551234", null))
                        .build()))
                .hasValueSatisfying(p -> assertThat(p).contains("E.164"));
        assertThat(validator.problem(text("r-1", "hello")
                        .setRecipient(new Recipient("+16505551234", null))
                        .build()))
                .isEmpty();
    }

    @Test
    void refusesAnEmptyTextAndOneOverFourThousandNinetySixCharacters() {
        assertThat(validator.problem(text("r-1", "").build())).isPresent();
        assertThat(validator.problem(text("r-1", "x".repeat(4_097)).build()))
                .hasValueSatisfying(p -> assertThat(p).contains("4096"));
        assertThat(validator.problem(text("r-1", "x".repeat(4_096)).build())).isEmpty();
    }

    @Test
    void refusesMediaWithNeitherOrBothSourcesAndNonHttpsLinks() {
        assertThat(validator.problem(media(null, null))).isPresent();
        assertThat(validator.problem(media("1", "https://example.com/a.png"))).isPresent();
        assertThat(validator.problem(media(null, "http://example.com/a.png"))).isPresent();
        assertThat(validator.problem(media(null, "https://example.com/a.png"))).isEmpty();
    }

    @Test
    void refusesInteractiveButtonsBeyondThree() {
        ReplyButton button = new ReplyButton("a", "Yes");
        OutboundRequest four = text("r-1", "x")
                .setPayload(InteractivePayload.newBuilder()
                        .setKind(InteractiveKind.BUTTON)
                        .setBody("Pick one")
                        .setButtons(List.of(button, button, button, button))
                        .build())
                .build();
        assertThat(validator.problem(four))
                .hasValueSatisfying(p -> assertThat(p).contains("1 to 3"));
    }

    @Test
    void refusesATemplateParameterOfAnUnknownTypeOrWithoutAValue() {
        TemplateParameter unknown = TemplateParameter.newBuilder()
                .setType(TemplateParameterType.UNKNOWN)
                .build();
        TemplateParameter emptyText = TemplateParameter.newBuilder()
                .setType(TemplateParameterType.TEXT)
                .build();
        assertThat(validator.problem(text("r-1", "x")
                        .setPayload(templatePayload("order")
                                .setBodyParameters(List.of(unknown))
                                .build())
                        .build()))
                .isPresent();
        assertThat(validator.problem(text("r-1", "x")
                        .setPayload(templatePayload("order")
                                .setBodyParameters(List.of(emptyText))
                                .build())
                        .build()))
                .isPresent();
    }

    @Test
    void refusesAnInvalidFallbackTemplateAndAFallbackForATemplate() {
        assertThat(validator.problem(text("r-1", "x")
                        .setFallbackTemplate(templatePayload("Bad Name").build())
                        .build()))
                .hasValueSatisfying(p -> assertThat(p).startsWith("fallback template:"));
        assertThat(validator.problem(text("r-1", "x")
                        .setPayload(templatePayload("order").build())
                        .setFallbackTemplate(templatePayload("other").build())
                        .build()))
                .isPresent();
    }

    @Test
    void refusesARequestIdLongerThanMetaKeepsAsCallbackData() {
        assertThat(validator.problem(text("r".repeat(513), "x").build())).isPresent();
    }

    private OutboundRequest media(String id, String link) {
        return text("r-1", "x")
                .setPayload(MediaPayload.newBuilder()
                        .setKind(MediaKind.IMAGE)
                        .setMediaId(id)
                        .setLink(link)
                        .build())
                .build();
    }

    @Test
    void aTextPayloadIsValidWithPreviewUrl() {
        assertThat(validator.problem(text("r-1", "x")
                        .setPayload(new TextPayload("see https://x", true))
                        .build()))
                .isEmpty();
    }
}
