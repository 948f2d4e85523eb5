package io.janela.dispatch.rules;

import io.janela.avro.InteractivePayload;
import io.janela.avro.ListSection;
import io.janela.avro.MediaKind;
import io.janela.avro.MediaPayload;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.ReplyButton;
import io.janela.avro.TemplateButtonParameters;
import io.janela.avro.TemplateButtonType;
import io.janela.avro.TemplateParameter;
import io.janela.avro.TemplateParameterType;
import io.janela.avro.TemplatePayload;
import io.janela.avro.TextPayload;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What makes an outbound request invalid before any state is consulted (DESIGN.md §4, first step), with the limits
 * Meta documents (WHATSAPP.md §4, §5.2). A problem is a sentence for people, never a message body.
 */
public final class RequestValidator {

    public static final int TEXT_LIMIT = 4_096;
    static final int REQUEST_ID_LIMIT = 512;
    static final int INTERACTIVE_BODY_LIMIT = 1_024;
    static final int BUTTON_TITLE_LIMIT = 20;
    static final int HEADER_LIMIT = 60;
    static final int LIST_ROWS_LIMIT = 10;
    static final int LIST_ROW_TITLE_LIMIT = 24;

    /** E.164: a plus sign, a country code that does not start with 0, at most 15 digits. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    private static final Pattern TEMPLATE_NAME = Pattern.compile("[a-z0-9_]{1,512}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}([_-][A-Za-z0-9]{2,8})?");

    private final Predicate<String> knownPhoneNumberId;

    public RequestValidator(Predicate<String> knownPhoneNumberId) {
        this.knownPhoneNumberId = knownPhoneNumberId;
    }

    /** The first problem of the request, or empty when it is valid. */
    public Optional<String> problem(OutboundRequest request) {
        String requestId = request.getRequestId();
        if (requestId == null || requestId.isBlank()) {
            return Optional.of("the request has no requestId");
        }
        if (requestId.length() > REQUEST_ID_LIMIT) {
            // It travels as biz_opaque_callback_data, which Meta limits to 512 characters.
            return Optional.of("the requestId is longer than " + REQUEST_ID_LIMIT + " characters");
        }
        if (!knownPhoneNumberId.test(request.getPhoneNumberId())) {
            return Optional.of("unknown business phone number id " + request.getPhoneNumberId());
        }
        Optional<String> recipient = recipientProblem(request.getRecipient());
        if (recipient.isPresent()) {
            return recipient;
        }
        if (request.getCreatedAt() == null) {
            return Optional.of("the request has no createdAt");
        }
        Optional<String> payload = payloadProblem(request.getPayload());
        if (payload.isPresent()) {
            return payload;
        }
        if (request.getFallbackTemplate() != null) {
            if (request.getPayload() instanceof TemplatePayload) {
                return Optional.of("a fallback template is only for free-form payloads");
            }
            return templateProblem(request.getFallbackTemplate()).map(problem -> "fallback template: " + problem);
        }
        return Optional.empty();
    }

    private static Optional<String> recipientProblem(Recipient recipient) {
        if (recipient == null || (blank(recipient.getPhoneNumber()) && blank(recipient.getUserId()))) {
            return Optional.of("the request has no recipient (phoneNumber or userId)");
        }
        if (!blank(recipient.getPhoneNumber())
                && !E164.matcher(recipient.getPhoneNumber()).matches()) {
            // Without the plus, Meta prepends the business number's country code: a message to the wrong person.
            return Optional.of("the recipient phoneNumber is not E.164 (+ and up to 15 digits)");
        }
        if (!blank(recipient.getUserId()) && recipient.getUserId().indexOf(':') >= 0) {
            return Optional.of("the recipient userId holds a ':'");
        }
        return Optional.empty();
    }

    private static Optional<String> payloadProblem(Object payload) {
        return switch (payload) {
            case null -> Optional.of("the request has no payload");
            case TextPayload text -> textProblem(text);
            case TemplatePayload template -> templateProblem(template);
            case MediaPayload media -> mediaProblem(media);
            case InteractivePayload interactive -> interactiveProblem(interactive);
            default -> Optional.of("unknown payload type " + payload.getClass().getSimpleName());
        };
    }

    private static Optional<String> textProblem(TextPayload text) {
        if (blank(text.getBody())) {
            return Optional.of("the text body is empty");
        }
        if (text.getBody().length() > TEXT_LIMIT) {
            return Optional.of("the text body is longer than " + TEXT_LIMIT + " characters");
        }
        return Optional.empty();
    }

    static Optional<String> templateProblem(TemplatePayload template) {
        if (blank(template.getName())
                || !TEMPLATE_NAME.matcher(template.getName()).matches()) {
            return Optional.of("the template name must be lower-case letters, digits and underscores");
        }
        if (blank(template.getLanguage())
                || !LANGUAGE.matcher(template.getLanguage()).matches()) {
            return Optional.of("the template language is not a language code such as en_US");
        }
        for (List<TemplateParameter> parameters :
                List.of(template.getBodyParameters(), template.getHeaderParameters())) {
            for (TemplateParameter parameter : parameters) {
                Optional<String> problem = parameterProblem(parameter);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        for (TemplateButtonParameters button : template.getButtons()) {
            if (button.getSubType() == TemplateButtonType.UNKNOWN) {
                return Optional.of("a template button has an unknown sub type");
            }
            if (button.getIndex() < 0 || button.getIndex() > 9) {
                return Optional.of("a template button index is outside 0..9");
            }
            for (TemplateParameter parameter : button.getParameters()) {
                Optional<String> problem = parameterProblem(parameter);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> parameterProblem(TemplateParameter parameter) {
        TemplateParameterType type = parameter.getType();
        return switch (type) {
            case TEXT, PAYLOAD, COUPON_CODE, DATE_TIME ->
                blank(parameter.getText())
                        ? Optional.of("a " + type + " template parameter has no text")
                        : Optional.empty();
            case CURRENCY ->
                blank(parameter.getText()) || blank(parameter.getCurrencyCode()) || parameter.getAmount1000() == null
                        ? Optional.of("a CURRENCY template parameter needs text, currencyCode and amount1000")
                        : Optional.empty();
            case IMAGE, VIDEO, DOCUMENT ->
                blank(parameter.getMediaId()) == blank(parameter.getMediaLink())
                        ? Optional.of("a " + type + " template parameter needs exactly one of mediaId and mediaLink")
                        : Optional.empty();
            case LOCATION ->
                parameter.getLatitude() == null || parameter.getLongitude() == null
                        ? Optional.of("a LOCATION template parameter needs latitude and longitude")
                        : Optional.empty();
            case UNKNOWN -> Optional.of("a template parameter has an unknown type");
        };
    }

    private static Optional<String> mediaProblem(MediaPayload media) {
        if (media.getKind() == MediaKind.UNKNOWN) {
            return Optional.of("the media kind is unknown");
        }
        if (blank(media.getMediaId()) == blank(media.getLink())) {
            return Optional.of("media needs exactly one of mediaId and link");
        }
        if (!blank(media.getLink()) && !media.getLink().startsWith("https://")) {
            return Optional.of("the media link is not an https URL");
        }
        return Optional.empty();
    }

    private static Optional<String> interactiveProblem(InteractivePayload interactive) {
        if (blank(interactive.getBody())) {
            return Optional.of("the interactive body is empty");
        }
        if (interactive.getBody().length() > INTERACTIVE_BODY_LIMIT) {
            return Optional.of("the interactive body is longer than " + INTERACTIVE_BODY_LIMIT + " characters");
        }
        if (interactive.getHeader() != null && interactive.getHeader().length() > HEADER_LIMIT) {
            return Optional.of("the interactive header is longer than " + HEADER_LIMIT + " characters");
        }
        return switch (interactive.getKind()) {
            case BUTTON -> buttonsProblem(interactive.getButtons());
            case LIST -> listProblem(interactive);
            case CTA_URL ->
                blank(interactive.getCtaUrl()) || blank(interactive.getCtaDisplayText())
                        ? Optional.of("a CTA_URL message needs ctaUrl and ctaDisplayText")
                        : Optional.empty();
            case UNKNOWN -> Optional.of("the interactive kind is unknown");
        };
    }

    private static Optional<String> buttonsProblem(List<ReplyButton> buttons) {
        if (buttons.isEmpty() || buttons.size() > 3) {
            return Optional.of("a BUTTON message needs 1 to 3 reply buttons");
        }
        for (ReplyButton button : buttons) {
            if (blank(button.getId())
                    || blank(button.getTitle())
                    || button.getTitle().length() > BUTTON_TITLE_LIMIT) {
                return Optional.of(
                        "a reply button needs an id and a title of at most " + BUTTON_TITLE_LIMIT + " characters");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> listProblem(InteractivePayload interactive) {
        if (blank(interactive.getListButtonText()) || interactive.getSections().isEmpty()) {
            return Optional.of("a LIST message needs listButtonText and sections");
        }
        int rows = 0;
        for (ListSection section : interactive.getSections()) {
            if (section.getRows().isEmpty()) {
                return Optional.of("a list section has no rows");
            }
            rows += section.getRows().size();
            if (section.getRows().stream()
                    .anyMatch(row -> blank(row.getId())
                            || blank(row.getTitle())
                            || row.getTitle().length() > LIST_ROW_TITLE_LIMIT)) {
                return Optional.of(
                        "a list row needs an id and a title of at most " + LIST_ROW_TITLE_LIMIT + " characters");
            }
        }
        return rows > LIST_ROWS_LIMIT
                ? Optional.of("a LIST message has more than " + LIST_ROWS_LIMIT + " rows")
                : Optional.empty();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
