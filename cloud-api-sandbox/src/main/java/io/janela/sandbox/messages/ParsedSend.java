package io.janela.sandbox.messages;

import java.util.List;
import java.util.Set;

/**
 * What the sandbox needs of a valid send request.
 *
 * @param to the {@code to} field as given (a phone number), or null
 * @param waId {@code to} reduced to digits, or null
 * @param recipientUserId the {@code recipient} field (a business-scoped user id), or null
 * @param type the message type
 * @param template the template part of a template message, else null
 * @param callbackData {@code biz_opaque_callback_data}, or null
 */
public record ParsedSend(
        String to, String waId, String recipientUserId, String type, TemplateUse template, String callbackData) {

    /** The identity Meta sends to: {@code to} wins over {@code recipient}. */
    public String recipient() {
        return waId != null ? waId : recipientUserId;
    }

    public boolean freeForm() {
        return template == null;
    }

    /**
     * The template part of a send.
     *
     * @param bodyParameters values given for the body, in order
     * @param bodyParameterNames the {@code parameter_name}s given for the body (named templates)
     * @param headerParameterTypes the types of the header's parameters ({@code text}, {@code image}...)
     */
    public record TemplateUse(
            String name,
            String language,
            List<String> bodyParameters,
            Set<String> bodyParameterNames,
            List<String> headerParameterTypes) {}
}
