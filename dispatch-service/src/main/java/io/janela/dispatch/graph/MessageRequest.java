package io.janela.dispatch.graph;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code POST /{phone-number-id}/messages} (WHATSAPP.md §4.1–§4.3). Absent parts are left out of the JSON.
 * Build it with {@link MessageRequests}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record MessageRequest(
        @JsonProperty("messaging_product") String messagingProduct,
        @JsonProperty("recipient_type") String recipientType,
        String to,
        String recipient,
        String type,
        Text text,
        Template template,
        Media image,
        Media video,
        Media audio,
        Media document,
        Media sticker,
        Interactive interactive,
        Context context,
        @JsonProperty("biz_opaque_callback_data") String bizOpaqueCallbackData) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Text(@JsonProperty("preview_url") Boolean previewUrl, String body) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Template(String name, Language language, List<Component> components) {}

    public record Language(String code) {}

    /** A template component: {@code header}, {@code body}, or a {@code button} with its sub type and index. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Component(
            String type, @JsonProperty("sub_type") String subType, String index, List<Parameter> parameters) {}

    /** One template parameter; which field is set depends on {@code type}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Parameter(
            String type,
            @JsonProperty("parameter_name") String parameterName,
            String text,
            Currency currency,
            @JsonProperty("date_time") DateTime dateTime,
            Media image,
            Media video,
            Media document,
            Location location,
            String payload,
            @JsonProperty("coupon_code") String couponCode) {}

    public record Currency(
            @JsonProperty("fallback_value") String fallbackValue,
            String code,
            @JsonProperty("amount_1000") long amount1000) {}

    public record DateTime(@JsonProperty("fallback_value") String fallbackValue) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Location(Double latitude, Double longitude, String name, String address) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Media(String id, String link, String caption, String filename) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Interactive(String type, InteractiveHeader header, Body body, Body footer, Action action) {}

    public record InteractiveHeader(String type, String text) {}

    public record Body(String text) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Action(
            List<Button> buttons, String button, List<Section> sections, String name, CtaParameters parameters) {}

    public record Button(String type, Reply reply) {}

    public record Reply(String id, String title) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Section(String title, List<Row> rows) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String id, String title, String description) {}

    public record CtaParameters(
            @JsonProperty("display_text") String displayText, String url) {}

    public record Context(@JsonProperty("message_id") String messageId) {}
}
