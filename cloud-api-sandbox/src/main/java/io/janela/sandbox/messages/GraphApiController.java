package io.janela.sandbox.messages;

import io.janela.sandbox.config.SandboxProperties;
import io.janela.sandbox.config.SandboxProperties.PhoneNumber;
import io.janela.sandbox.graph.GraphError;
import io.janela.sandbox.templates.SandboxTemplate;
import io.janela.sandbox.templates.TemplateCatalog;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The Graph API endpoints the sandbox stands in for. */
@RestController
class GraphApiController {

    private static final int MAX_PAGE = 1_000;

    private final MessageService messages;
    private final TemplateCatalog templates;
    private final SandboxProperties properties;

    GraphApiController(MessageService messages, TemplateCatalog templates, SandboxProperties properties) {
        this.messages = messages;
        this.templates = templates;
        this.properties = properties;
    }

    @PostMapping("/{version:v\\d+\\.\\d+}/{phoneNumberId}/messages")
    Mono<ResponseEntity<Object>> send(
            @PathVariable String phoneNumberId,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestBody(required = false) String body) {
        return messages.send(phoneNumberId, authorization, body);
    }

    /**
     * {@code GET /{waba-id}/message_templates} (WHATSAPP.md §5.7): {@code data} and cursor {@code paging}, optionally
     * filtered by {@code status} and {@code name}; {@code limit} per page (25 by default, as Graph's).
     */
    @GetMapping("/{version:v\\d+\\.\\d+}/{wabaId}/message_templates")
    ResponseEntity<Object> listTemplates(
            @PathVariable String wabaId,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestParam(defaultValue = "25") int limit,
            @RequestParam(required = false) String after,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) String name,
            ServerHttpRequest request) {
        List<PhoneNumber> numbers = properties.phoneNumbers().stream()
                .filter(number -> number.wabaId().equals(wabaId))
                .toList();
        if (numbers.isEmpty()) {
            return error(GraphError.unknownObject(wabaId));
        }
        if (!authorised(numbers, authorization)) {
            return error(GraphError.invalidToken());
        }
        if (limit < 1 || limit > MAX_PAGE) {
            return error(GraphError.invalidParameter("Param limit must be between 1 and " + MAX_PAGE + "."));
        }
        List<JsonNode> matching = templates.list(wabaId).stream()
                .filter(template -> status == null || template.status().equals(status.toUpperCase(Locale.ROOT)))
                .filter(template -> name == null || template.name().equals(name))
                .map(SandboxTemplate::json)
                .toList();
        int from;
        try {
            from = after == null ? 0 : decode(after);
        } catch (IllegalArgumentException e) {
            return error(GraphError.invalidParameter("Param after is not a valid cursor."));
        }
        int to = Math.min(from + limit, matching.size());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", from >= matching.size() ? List.of() : matching.subList(from, to));
        if (from < matching.size()) {
            Map<String, Object> paging = new LinkedHashMap<>();
            paging.put("cursors", Map.of("before", encode(from), "after", encode(to - 1)));
            if (to < matching.size()) {
                paging.put(
                        "next",
                        UriComponentsBuilder.fromUri(request.getURI())
                                .replaceQueryParam("after", encode(to - 1))
                                .replaceQueryParam("limit", limit)
                                .build()
                                .toUriString());
            }
            body.put("paging", paging);
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    /**
     * {@code GET /{phone-number-id}?fields=...} (WHATSAPP.md §6.1): the fields asked for among {@code id}, {@code
     * display_phone_number} and {@code throughput} ({@code {"level": "STANDARD" | "HIGH" | "NOT_APPLICABLE"}}, the
     * number's {@code throughput-level}), always with {@code id}; without {@code fields}, {@code id} and {@code
     * display_phone_number}. Errors in Meta's envelope: an unknown number (100, subcode 33), a wrong token (190), a field
     * the node does not have (100).
     */
    @GetMapping("/{version:v\\d+\\.\\d+}/{phoneNumberId}")
    ResponseEntity<Object> phoneNumber(
            @PathVariable String phoneNumberId,
            @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization,
            @RequestParam(required = false) String fields) {
        PhoneNumber number = properties.phoneNumber(phoneNumberId).orElse(null);
        if (number == null) {
            return error(GraphError.unknownObject(phoneNumberId, "get"));
        }
        if (!authorised(List.of(number), authorization)) {
            return error(GraphError.invalidToken());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        List<String> asked =
                fields == null || fields.isBlank() ? List.of("id", "display_phone_number") : List.of(fields.split(","));
        for (String field : asked) {
            switch (field.strip()) {
                case "id" -> {}
                case "display_phone_number" -> body.put("display_phone_number", number.displayPhoneNumber());
                case "throughput" -> body.put("throughput", Map.of("level", number.throughputLevel()));
                default -> {
                    return error(GraphError.nonexistingField(field.strip(), "WhatsAppBusinessPhoneNumber"));
                }
            }
        }
        body.put("id", number.id());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }

    private static boolean authorised(List<PhoneNumber> numbers, String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        String token = authorization.substring("Bearer ".length()).strip();
        return !token.isEmpty()
                && numbers.stream()
                        .anyMatch(number -> number.accessToken() == null
                                || number.accessToken().equals(token));
    }

    private static ResponseEntity<Object> error(GraphError error) {
        return ResponseEntity.status(error.httpStatus())
                .contentType(MediaType.APPLICATION_JSON)
                .body(error.body());
    }

    /** A cursor names the position of an item; the next page starts after it. */
    private static String encode(int index) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Integer.toString(index).getBytes(StandardCharsets.UTF_8));
    }

    private static int decode(String cursor) {
        return Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8)) + 1;
    }
}
