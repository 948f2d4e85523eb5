package io.janela.local.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.TemplateParameter;
import io.janela.avro.TemplatePayload;
import io.janela.avro.TextPayload;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * An outbound request in a small JSON shape people can type, turned into the contract's {@link OutboundRequest}:
 *
 * <pre>
 * {"to": "+5511987654321", "userId": "BR.1001", "origin": "AGENT", "text": "Hello",
 *  "template": {"name": "order_confirmation", "language": "en_US", "parameters": ["Ana", "4711"],
 *               "headerParameters": ["4711"]},
 *  "fallbackTemplate": {...}, "requestId": "...", "phoneNumberId": "...", "expiresInSeconds": 3600}
 * </pre>
 *
 * Exactly one of {@code text} and {@code template}; {@code to} (E.164) and/or {@code userId}; {@code parameters} is a
 * list for positional templates or an object (name to value) for named ones. Missing: a random request id, the local
 * business number, origin UNKNOWN. Nothing is validated beyond the shape: dispatch decides, and answers in
 * whatsapp.dispatch-results.
 */
public final class OutboundJson {

    private OutboundJson() {}

    public static OutboundRequest parse(JsonNode json, String defaultPhoneNumberId, Instant now) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        boolean text = json.hasNonNull("text");
        boolean template = json.hasNonNull("template");
        if (text == template) {
            throw new IllegalArgumentException("give exactly one of text and template");
        }
        String to = string(json, "to");
        String userId = string(json, "userId");
        if (to == null && userId == null) {
            throw new IllegalArgumentException("give to (a phone number in E.164) or userId");
        }
        OutboundRequest.Builder request = OutboundRequest.newBuilder()
                .setRequestId(
                        orElse(string(json, "requestId"), UUID.randomUUID().toString()))
                .setPhoneNumberId(orElse(string(json, "phoneNumberId"), defaultPhoneNumberId))
                .setRecipient(new Recipient(to, userId))
                .setCreatedAt(now)
                .setOrigin(origin(string(json, "origin")))
                .setPayload(text ? new TextPayload(json.get("text").asText(), false) : template(json.get("template")));
        if (json.hasNonNull("fallbackTemplate")) {
            request.setFallbackTemplate(template(json.get("fallbackTemplate")));
        }
        if (json.hasNonNull("expiresInSeconds")) {
            request.setExpiresAt(now.plusSeconds(json.get("expiresInSeconds").asLong()));
        }
        return request.build();
    }

    static TemplatePayload template(JsonNode json) {
        String name = string(json, "name");
        if (name == null) {
            throw new IllegalArgumentException("a template needs a name");
        }
        return TemplatePayload.newBuilder()
                .setName(name)
                .setLanguage(orElse(string(json, "language"), "en_US"))
                .setBodyParameters(parameters(json.get("parameters")))
                .setHeaderParameters(parameters(json.get("headerParameters")))
                .build();
    }

    private static List<TemplateParameter> parameters(JsonNode json) {
        List<TemplateParameter> parameters = new ArrayList<>();
        if (json == null || json.isNull()) {
            return parameters;
        }
        if (json.isArray()) {
            json.forEach(value -> parameters.add(
                    TemplateParameter.newBuilder().setText(value.asText()).build()));
        } else if (json.isObject()) {
            for (Map.Entry<String, JsonNode> named : json.properties()) {
                parameters.add(TemplateParameter.newBuilder()
                        .setName(named.getKey())
                        .setText(named.getValue().asText())
                        .build());
            }
        } else {
            throw new IllegalArgumentException("parameters: a list (positional) or an object (named)");
        }
        return parameters;
    }

    private static io.janela.avro.Origin origin(String value) {
        if (value == null) {
            return io.janela.avro.Origin.UNKNOWN;
        }
        try {
            return io.janela.avro.Origin.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("origin: one of AGENT, BOT, SYSTEM, CAMPAIGN");
        }
    }

    static String string(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }

    static String orElse(String value, String otherwise) {
        return value == null ? otherwise : value;
    }
}
