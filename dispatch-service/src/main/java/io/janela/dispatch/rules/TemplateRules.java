package io.janela.dispatch.rules;

import io.janela.avro.DispatchReason;
import io.janela.avro.MessageCategory;
import io.janela.avro.ParameterFormat;
import io.janela.avro.Template;
import io.janela.avro.TemplateCategory;
import io.janela.avro.TemplateParameter;
import io.janela.avro.TemplateParameterType;
import io.janela.avro.TemplatePayload;
import io.janela.avro.TemplateStatus;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The catalog checks of a template send (DESIGN.md §4; WHATSAPP.md §5), in this order:
 *
 * <ol>
 *   <li>the business account has the template in that language ({@code TEMPLATE_NOT_FOUND});
 *   <li>its status is APPROVED, the only sendable one ({@code TEMPLATE_NOT_APPROVED});
 *   <li>the body parameters match its placeholders: as many, unnamed, for a positional template; the same set of
 *       names for a named one; and the header parameters its header ({@code TEMPLATE_PARAMETERS_MISMATCH}). A
 *       template known only from webhooks (parameter format unknown until the next sync) is not checked here: Meta
 *       checks it (132000);
 *   <li>marketing is not sent to a contact who stopped marketing messages ({@code MARKETING_OPTED_OUT});
 *   <li>an authentication template goes to a phone number only ({@code AUTHENTICATION_NEEDS_PHONE_NUMBER}; Meta
 *       answers 131062 for a user id) and its code is at most 15 characters ({@code AUTHENTICATION_CODE_TOO_LONG}).
 * </ol>
 *
 * The category is the one in force at send time: an announced recategorisation counts from its date (§5.5).
 */
final class TemplateRules {

    public static final int AUTHENTICATION_CODE_LIMIT = 15;

    private TemplateRules() {}

    public static TemplateVerdict check(
            TemplatePayload payload, Template template, Instant now, boolean optedOutOfMarketing, boolean phoneKnown) {
        if (template == null) {
            return new TemplateVerdict.Refused(
                    DispatchReason.TEMPLATE_NOT_FOUND,
                    "the business account has no template " + payload.getName() + " in " + payload.getLanguage(),
                    MessageCategory.UNKNOWN);
        }
        MessageCategory category = categoryAt(template, now);
        if (template.getStatus() != TemplateStatus.APPROVED) {
            return new TemplateVerdict.Refused(
                    DispatchReason.TEMPLATE_NOT_APPROVED,
                    "template " + payload.getName() + " is "
                            + template.getStatus().name().toLowerCase(Locale.ROOT),
                    category);
        }
        String mismatch = parameterMismatch(payload, template);
        if (mismatch != null) {
            return new TemplateVerdict.Refused(DispatchReason.TEMPLATE_PARAMETERS_MISMATCH, mismatch, category);
        }
        if (category == MessageCategory.MARKETING && optedOutOfMarketing) {
            return new TemplateVerdict.Refused(
                    DispatchReason.MARKETING_OPTED_OUT, "the contact stopped marketing messages", category);
        }
        if (category == MessageCategory.AUTHENTICATION) {
            if (!phoneKnown) {
                return new TemplateVerdict.Refused(
                        DispatchReason.AUTHENTICATION_NEEDS_PHONE_NUMBER,
                        "authentication templates go to phone numbers only; the contact's number is not known",
                        category);
            }
            String code = payload.getBodyParameters().isEmpty()
                    ? null
                    : payload.getBodyParameters().getFirst().getText();
            if (code != null && code.length() > AUTHENTICATION_CODE_LIMIT) {
                return new TemplateVerdict.Refused(
                        DispatchReason.AUTHENTICATION_CODE_TOO_LONG,
                        "the authentication code has " + code.length() + " characters; at most "
                                + AUTHENTICATION_CODE_LIMIT,
                        category);
            }
        }
        return new TemplateVerdict.Allowed(category);
    }

    /** The template's category at {@code now}, a due recategorisation applied. */
    public static MessageCategory categoryAt(Template template, Instant now) {
        TemplateCategory category = template.getPendingCategory() != null
                        && template.getPendingCategoryAt() != null
                        && !now.isBefore(template.getPendingCategoryAt())
                ? template.getPendingCategory()
                : template.getCategory();
        return switch (category) {
            case MARKETING -> MessageCategory.MARKETING;
            case UTILITY -> MessageCategory.UTILITY;
            case AUTHENTICATION -> MessageCategory.AUTHENTICATION;
            case UNKNOWN -> MessageCategory.UNKNOWN;
        };
    }

    private static String parameterMismatch(TemplatePayload payload, Template template) {
        List<TemplateParameter> body = payload.getBodyParameters();
        if (template.getParameterFormat() == ParameterFormat.POSITIONAL) {
            if (body.stream().anyMatch(parameter -> parameter.getName() != null)) {
                return "template " + payload.getName() + " is positional: its parameters have no names";
            }
            if (body.size() != template.getBodyParameterCount()) {
                return "template " + payload.getName() + " takes " + template.getBodyParameterCount()
                        + " body parameters, the request gives " + body.size();
            }
        } else if (template.getParameterFormat() == ParameterFormat.NAMED) {
            Set<String> given = new HashSet<>();
            for (TemplateParameter parameter : body) {
                if (parameter.getName() == null || !given.add(parameter.getName())) {
                    return "template " + payload.getName() + " is named: each parameter needs a distinct name";
                }
            }
            if (!given.equals(new HashSet<>(template.getBodyParameterNames()))) {
                return "template " + payload.getName() + " takes the body parameters "
                        + template.getBodyParameterNames() + ", the request gives " + given;
            }
        }
        return template.getParameterFormat() == ParameterFormat.UNKNOWN ? null : headerMismatch(payload, template);
    }

    private static String headerMismatch(TemplatePayload payload, Template template) {
        List<TemplateParameter> header = payload.getHeaderParameters();
        String format = template.getHeaderFormat();
        if (format == null) {
            return header.isEmpty() ? null : "template " + payload.getName() + " has no header parameters";
        }
        if (format.equalsIgnoreCase("TEXT")) {
            return header.size() == template.getHeaderParameterCount()
                    ? null
                    : "template " + payload.getName() + " takes " + template.getHeaderParameterCount()
                            + " header parameters, the request gives " + header.size();
        }
        TemplateParameterType expected;
        try {
            expected = TemplateParameterType.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null; // a header format Janela does not know yet: Meta checks it
        }
        return header.size() == 1 && header.getFirst().getType() == expected
                ? null
                : "template " + payload.getName() + " takes one " + format.toUpperCase(Locale.ROOT)
                        + " header parameter";
    }
}
