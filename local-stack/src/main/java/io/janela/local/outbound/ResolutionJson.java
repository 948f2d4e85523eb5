package io.janela.local.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import io.janela.avro.ConversationResolution;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A conversation resolution in a small JSON shape people can type, turned into the contract's
 * {@link ConversationResolution}, as a company's helpdesk would publish it when an agent closes a conversation:
 *
 * <pre>
 * {"to": "+5511987654321", "userId": "BR.1001", "reference": "order 4711", "agentId": "agent-7", "team": "support",
 *  "language": "en", "resolvedAt": "2026-12-06T18:00:00Z", "resolutionId": "...", "phoneNumberId": "..."}
 * </pre>
 *
 * {@code to} (E.164) and/or {@code userId}; everything else optional. Missing: a random resolution id, the local
 * business number, resolved now. The survey-service decides what follows (README "The survey").
 */
public final class ResolutionJson {

    private ResolutionJson() {}

    public static ConversationResolution parse(JsonNode json, String defaultPhoneNumberId, Instant now) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        String to = OutboundJson.string(json, "to");
        String userId = OutboundJson.string(json, "userId");
        if (to == null && userId == null) {
            throw new IllegalArgumentException("give to (a phone number in E.164) or userId");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("source", "local-stack dev endpoint");
        return ConversationResolution.newBuilder()
                .setResolutionId(OutboundJson.orElse(
                        OutboundJson.string(json, "resolutionId"),
                        UUID.randomUUID().toString()))
                .setPhoneNumberId(OutboundJson.orElse(OutboundJson.string(json, "phoneNumberId"), defaultPhoneNumberId))
                .setRecipientUserId(userId)
                .setRecipientPhoneNumber(to)
                .setResolvedAt(resolvedAt(OutboundJson.string(json, "resolvedAt"), now))
                .setAgentId(OutboundJson.string(json, "agentId"))
                .setTeam(OutboundJson.string(json, "team"))
                .setReference(OutboundJson.string(json, "reference"))
                .setLanguage(OutboundJson.string(json, "language"))
                .setMetadata(metadata)
                .build();
    }

    private static Instant resolvedAt(String value, Instant now) {
        if (value == null) {
            return now;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("resolvedAt: an ISO-8601 instant such as 2026-12-06T18:00:00Z");
        }
    }
}
