package io.janela.dispatch.graph;

import io.janela.avro.InteractivePayload;
import io.janela.avro.ListRow;
import io.janela.avro.ListSection;
import io.janela.avro.MediaKind;
import io.janela.avro.MediaPayload;
import io.janela.avro.ReplyButton;
import io.janela.avro.SendCommand;
import io.janela.avro.TemplateButtonParameters;
import io.janela.avro.TemplateParameter;
import io.janela.avro.TemplatePayload;
import io.janela.avro.TextPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a send command into the Graph API body Meta documents (WHATSAPP.md §4.2, §4.3): the payload or the fallback
 * template, to the phone number when known (else the business-scoped user id), quoting a customer message when asked,
 * with {@code biz_opaque_callback_data} set to the request id so that status webhooks name their request.
 */
public final class MessageRequests {

    private static final String WHATSAPP = "whatsapp";
    private static final String INDIVIDUAL = "individual";

    private MessageRequests() {}

    /** The body for the command's primary message, or for its fallback template when {@code fallback} is true. */
    public static MessageRequest of(SendCommand command, boolean fallback) {
        Object payload = fallback || command.getPrimary().getFallbackTemplate()
                ? command.getRequest().getFallbackTemplate()
                : command.getRequest().getPayload();
        if (payload == null) {
            throw new IllegalArgumentException("request " + command.getRequestId() + " has no fallback template");
        }
        String to = command.getTo();
        Address address = new Address(
                to,
                to == null ? command.getRecipientUserId() : null,
                command.getRequest().getReplyToMessageId() == null
                        ? null
                        : new MessageRequest.Context(command.getRequest().getReplyToMessageId()),
                command.getRequestId());
        return switch (payload) {
            case TextPayload text ->
                message(
                        address,
                        "text",
                        new MessageRequest.Text(text.getPreviewUrl() ? Boolean.TRUE : null, text.getBody()));
            case TemplatePayload template -> message(address, "template", template(template));
            case MediaPayload media -> message(address, media.getKind().name().toLowerCase(Locale.ROOT), media(media));
            case InteractivePayload interactive -> message(address, "interactive", interactive(interactive));
            default ->
                throw new IllegalArgumentException(
                        "unknown payload " + payload.getClass().getSimpleName());
        };
    }

    /** Who a message goes to, what it quotes, and the callback data its statuses will echo. */
    private record Address(String to, String recipient, MessageRequest.Context context, String callbackData) {}

    /** The body with {@code content} in the field named after its type. */
    private static MessageRequest message(Address address, String type, Object content) {
        MessageRequest.Media media = content instanceof MessageRequest.Media m ? m : null;
        return new MessageRequest(
                WHATSAPP,
                INDIVIDUAL,
                address.to(),
                address.recipient(),
                type,
                content instanceof MessageRequest.Text text ? text : null,
                content instanceof MessageRequest.Template template ? template : null,
                type.equals("image") ? media : null,
                type.equals("video") ? media : null,
                type.equals("audio") ? media : null,
                type.equals("document") ? media : null,
                type.equals("sticker") ? media : null,
                content instanceof MessageRequest.Interactive interactive ? interactive : null,
                address.context(),
                address.callbackData());
    }

    static MessageRequest.Template template(TemplatePayload template) {
        List<MessageRequest.Component> components = new ArrayList<>();
        if (!template.getHeaderParameters().isEmpty()) {
            components.add(
                    new MessageRequest.Component("header", null, null, parameters(template.getHeaderParameters())));
        }
        if (!template.getBodyParameters().isEmpty()) {
            components.add(new MessageRequest.Component("body", null, null, parameters(template.getBodyParameters())));
        }
        for (TemplateButtonParameters button : template.getButtons()) {
            components.add(new MessageRequest.Component(
                    "button",
                    button.getSubType().name().toLowerCase(Locale.ROOT),
                    Integer.toString(button.getIndex()),
                    parameters(button.getParameters())));
        }
        return new MessageRequest.Template(
                template.getName(),
                new MessageRequest.Language(template.getLanguage()),
                components.isEmpty() ? null : components);
    }

    private static List<MessageRequest.Parameter> parameters(List<TemplateParameter> parameters) {
        return parameters.stream().map(MessageRequests::parameter).toList();
    }

    private static MessageRequest.Parameter parameter(TemplateParameter p) {
        String name = p.getName();
        return switch (p.getType()) {
            case TEXT ->
                new MessageRequest.Parameter("text", name, p.getText(), null, null, null, null, null, null, null, null);
            case CURRENCY ->
                new MessageRequest.Parameter(
                        "currency",
                        name,
                        null,
                        new MessageRequest.Currency(
                                p.getText(), p.getCurrencyCode(), p.getAmount1000() == null ? 0 : p.getAmount1000()),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
            case DATE_TIME ->
                new MessageRequest.Parameter(
                        "date_time",
                        name,
                        null,
                        null,
                        new MessageRequest.DateTime(p.getText()),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
            case IMAGE ->
                new MessageRequest.Parameter("image", name, null, null, null, media(p), null, null, null, null, null);
            case VIDEO ->
                new MessageRequest.Parameter("video", name, null, null, null, null, media(p), null, null, null, null);
            case DOCUMENT ->
                new MessageRequest.Parameter(
                        "document", name, null, null, null, null, null, media(p), null, null, null);
            case LOCATION ->
                new MessageRequest.Parameter(
                        "location",
                        name,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new MessageRequest.Location(
                                p.getLatitude(), p.getLongitude(), p.getLocationName(), p.getLocationAddress()),
                        null,
                        null);
            case PAYLOAD ->
                new MessageRequest.Parameter(
                        "payload", name, null, null, null, null, null, null, null, p.getText(), null);
            case COUPON_CODE ->
                new MessageRequest.Parameter(
                        "coupon_code", name, null, null, null, null, null, null, null, null, p.getText());
            case UNKNOWN -> throw new IllegalArgumentException("a template parameter of unknown type");
        };
    }

    private static MessageRequest.Media media(TemplateParameter p) {
        return new MessageRequest.Media(p.getMediaId(), p.getMediaLink(), null, p.getFilename());
    }

    private static MessageRequest.Media media(MediaPayload media) {
        MediaKind kind = media.getKind();
        return new MessageRequest.Media(
                media.getMediaId(),
                media.getLink(),
                kind == MediaKind.AUDIO || kind == MediaKind.STICKER ? null : media.getCaption(),
                kind == MediaKind.DOCUMENT ? media.getFilename() : null);
    }

    static MessageRequest.Interactive interactive(InteractivePayload interactive) {
        MessageRequest.InteractiveHeader header = interactive.getHeader() == null
                ? null
                : new MessageRequest.InteractiveHeader("text", interactive.getHeader());
        MessageRequest.Body footer =
                interactive.getFooter() == null ? null : new MessageRequest.Body(interactive.getFooter());
        MessageRequest.Body body = new MessageRequest.Body(interactive.getBody());
        MessageRequest.Action action = switch (interactive.getKind()) {
            case BUTTON ->
                new MessageRequest.Action(
                        interactive.getButtons().stream()
                                .map(MessageRequests::button)
                                .toList(),
                        null,
                        null,
                        null,
                        null);
            case LIST ->
                new MessageRequest.Action(
                        null,
                        interactive.getListButtonText(),
                        interactive.getSections().stream()
                                .map(MessageRequests::section)
                                .toList(),
                        null,
                        null);
            case CTA_URL ->
                new MessageRequest.Action(
                        null,
                        null,
                        null,
                        "cta_url",
                        new MessageRequest.CtaParameters(interactive.getCtaDisplayText(), interactive.getCtaUrl()));
            case UNKNOWN -> throw new IllegalArgumentException("an interactive message of unknown kind");
        };
        return new MessageRequest.Interactive(
                interactive.getKind().name().toLowerCase(Locale.ROOT), header, body, footer, action);
    }

    private static MessageRequest.Button button(ReplyButton button) {
        return new MessageRequest.Button("reply", new MessageRequest.Reply(button.getId(), button.getTitle()));
    }

    private static MessageRequest.Section section(ListSection section) {
        return new MessageRequest.Section(
                section.getTitle(),
                section.getRows().stream()
                        .map((ListRow row) -> new MessageRequest.Row(row.getId(), row.getTitle(), row.getDescription()))
                        .toList());
    }
}
