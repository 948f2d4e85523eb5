package io.janela.sandbox.customers;

import io.janela.sandbox.config.SandboxProperties;
import io.janela.sandbox.config.SandboxProperties.PhoneNumber;
import io.janela.sandbox.webhooks.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Meta posts when a customer acts: a {@code messages} webhook for a customer's text (WHATSAPP.md §3.4–§3.5, with
 * an optional click-to-WhatsApp {@code referral}) and a {@code user_preferences} webhook for a marketing stop or resume
 * (§3.9), each signed with the app secret ({@code X-Hub-Signature-256}) and posted to {@code janela.sandbox.webhook-url}.
 * Unlike status webhooks, the caller waits for the delivery: it learns whether the webhook receiver accepted it.
 */
@Component
class CustomerWebhooks {

    private final SandboxProperties properties;
    private final WebClient client;
    private final JsonMapper json;

    CustomerWebhooks(SandboxProperties properties, WebClient webhookClient, JsonMapper json) {
        this.properties = properties;
        this.client = webhookClient;
        this.json = json;
    }

    boolean configured() {
        return properties.webhookUrl() != null;
    }

    /** The {@code messages} webhook of one customer text message. */
    Map<String, Object> textMessage(
            PhoneNumber number, Customer customer, String wamid, Instant at, String text, JsonNode referral) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.putAll(sender(customer, wamid, at));
        message.put("type", "text");
        if (referral != null && !referral.isNull()) {
            message.put("referral", referral);
        }
        message.put("text", Map.of("body", text));
        Map<String, Object> value = value(number);
        value.put("contacts", List.of(contact(customer)));
        value.put("messages", List.of(message));
        return envelope(number, "messages", value);
    }

    /**
     * The {@code messages} webhook of a customer's tap on a choice of an earlier business message: {@code context}
     * names that message ({@code from}: the business number, {@code id}: its wamid); a list row or reply button comes
     * as {@code interactive} ({@code list_reply} / {@code button_reply}), a template quick reply as {@code button}
     * ({@code payload}, {@code text}).
     */
    Map<String, Object> replyMessage(
            PhoneNumber number,
            Customer customer,
            String wamid,
            Instant at,
            String contextWamid,
            SentChoices.Kind kind,
            SentChoices.Option option) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("context", Map.of("from", number.displayPhoneNumber(), "id", contextWamid));
        message.putAll(sender(customer, wamid, at));
        if (kind == SentChoices.Kind.QUICK_REPLY) {
            message.put("type", "button");
            message.put("button", Map.of("payload", option.id(), "text", option.title()));
        } else {
            String replyType = kind == SentChoices.Kind.LIST_REPLY ? "list_reply" : "button_reply";
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("id", option.id());
            reply.put("title", option.title());
            if (option.description() != null) {
                reply.put("description", option.description());
            }
            message.put("type", "interactive");
            message.put("interactive", Map.of("type", replyType, replyType, reply));
        }
        Map<String, Object> value = value(number);
        value.put("contacts", List.of(contact(customer)));
        value.put("messages", List.of(message));
        return envelope(number, "messages", value);
    }

    /** The {@code user_preferences} webhook of a marketing stop or resume. */
    Map<String, Object> userPreference(PhoneNumber number, Customer customer, String preference, Instant at) {
        Map<String, Object> item = new LinkedHashMap<>();
        if (customer.waId() != null) {
            item.put("wa_id", customer.waId());
        }
        if (customer.userId() != null) {
            item.put("user_id", customer.userId());
        }
        item.put(
                "detail",
                preference.equals("stop")
                        ? "User requested to stop marketing messages"
                        : "User requested to resume marketing messages");
        item.put("category", "marketing_messages");
        item.put("value", preference);
        item.put("timestamp", at.getEpochSecond()); // an integer here, unlike messages[].timestamp
        Map<String, Object> value = value(number);
        value.put("contacts", List.of(contact(customer)));
        value.put("user_preferences", List.of(item));
        return envelope(number, "user_preferences", value);
    }

    /**
     * Signs and posts a webhook, trying again as status webhooks do; completes with the receiver's HTTP status, or
     * with the last status (or 0 when nothing answered) once the attempts are spent.
     */
    Mono<Integer> post(Map<String, Object> webhook) {
        byte[] body = json.writeValueAsBytes(webhook);
        return client.post()
                .uri(properties.webhookUrl())
                .contentType(MediaType.APPLICATION_JSON)
                .header(Signature.HEADER, Signature.sign(properties.appSecret(), body))
                .bodyValue(body)
                .retrieve()
                .toBodilessEntity()
                .map(response -> response.getStatusCode().value())
                .retryWhen(Retry.backoff(properties.webhookAttempts() - 1L, properties.webhookRetryBackoff())
                        .maxBackoff(properties.webhookRetryMaxBackoff())
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorResume(
                        WebClientResponseException.class,
                        e -> Mono.just(e.getStatusCode().value()))
                .onErrorResume(e -> Mono.just(0));
    }

    /** A customer message's {@code from}, {@code from_user_id}, {@code id} and {@code timestamp}. */
    static Map<String, Object> sender(Customer customer, String wamid, Instant at) {
        Map<String, Object> message = new LinkedHashMap<>();
        if (customer.waId() != null) {
            message.put("from", customer.waId());
        }
        if (customer.userId() != null) {
            message.put("from_user_id", customer.userId());
        }
        message.put("id", wamid);
        message.put("timestamp", Long.toString(at.getEpochSecond()));
        return message;
    }

    static Map<String, Object> contact(Customer customer) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("profile", Map.of("name", customer.name() == null ? "Customer" : customer.name()));
        if (customer.waId() != null) {
            contact.put("wa_id", customer.waId());
        }
        if (customer.userId() != null) {
            contact.put("user_id", customer.userId());
        }
        return contact;
    }

    static Map<String, Object> value(PhoneNumber number) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("messaging_product", "whatsapp");
        value.put(
                "metadata",
                Map.of("display_phone_number", number.displayPhoneNumber(), "phone_number_id", number.id()));
        return value;
    }

    static Map<String, Object> envelope(PhoneNumber number, String field, Map<String, Object> value) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("value", value);
        change.put("field", field);
        List<Object> changes = new ArrayList<>();
        changes.add(change);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", number.wabaId());
        entry.put("changes", changes);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("object", "whatsapp_business_account");
        envelope.put("entry", List.of(entry));
        return envelope;
    }

    /** A customer as webhooks name one: phone number (digits) and/or business-scoped user id, and a profile name. */
    record Customer(String waId, String userId, String name) {}
}
