package io.janela.sandbox.webhooks;

import io.janela.sandbox.config.SandboxProperties;
import io.janela.sandbox.config.SandboxProperties.StatusKind;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts the status webhooks of accepted messages to {@code janela.sandbox.webhook-url}, in Meta's envelope
 * (WHATSAPP.md §3.4, §3.6) and signed as Meta signs ({@code X-Hub-Signature-256}). An accepted message goes through
 * the configured statuses ({@code sent} and {@code delivered} carry {@code pricing}, as Meta's do), or gets one
 * {@code failed} status with its error. A delivery that is not answered 2xx is tried again with a doubling pause.
 */
@Component
public class StatusWebhooks {

    private static final Logger log = LoggerFactory.getLogger(StatusWebhooks.class);

    private final SandboxProperties properties;
    private final WebClient client;
    private final JsonMapper json;
    private final Clock clock;

    StatusWebhooks(SandboxProperties properties, WebClient webhookClient, JsonMapper json, Clock clock) {
        this.properties = properties;
        this.client = webhookClient;
        this.json = json;
        this.clock = clock;
    }

    /** Schedules the status webhooks of this message; returns at once. */
    public void publish(AcceptedMessage message) {
        if (properties.webhookUrl() == null) {
            return;
        }
        List<String> statuses = message.failure() != null
                ? List.of("failed")
                : properties.statuses().stream()
                        .map(kind -> kind.name().toLowerCase(Locale.ROOT))
                        .toList();
        Flux.fromIterable(statuses)
                .concatMap(status -> Mono.delay(properties.statusDelay()).then(Mono.defer(() -> post(message, status))))
                .subscribe();
    }

    private Mono<Void> post(AcceptedMessage message, String status) {
        byte[] body = json.writeValueAsBytes(envelope(message, status));
        return client.post()
                .uri(properties.webhookUrl())
                .contentType(MediaType.APPLICATION_JSON)
                .header(Signature.HEADER, Signature.sign(properties.appSecret(), body))
                .bodyValue(body)
                .retrieve()
                .toBodilessEntity()
                .retryWhen(Retry.backoff(properties.webhookAttempts() - 1L, properties.webhookRetryBackoff())
                        .maxBackoff(properties.webhookRetryMaxBackoff()))
                .then()
                .onErrorResume(e -> {
                    log.warn(
                            "Dropping the {} status webhook of a message after {} attempts: {}",
                            status,
                            properties.webhookAttempts(),
                            e.toString());
                    return Mono.empty();
                });
    }

    Map<String, Object> envelope(AcceptedMessage message, String status) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", message.wamid());
        item.put("status", status);
        item.put("timestamp", Long.toString(clock.instant().getEpochSecond()));
        boolean failed = status.equals("failed");
        if (message.recipientId() != null) {
            item.put("recipient_id", message.recipientId());
        }
        // Meta leaves the user id out of a failed status of a message sent to a phone number.
        if (message.recipientUserId() != null && !(failed && !message.sentToUserId())) {
            item.put("recipient_user_id", message.recipientUserId());
        }
        if (message.callbackData() != null) {
            item.put("biz_opaque_callback_data", message.callbackData());
        }
        if (status.equals(StatusKind.SENT.name().toLowerCase(Locale.ROOT))
                || status.equals(StatusKind.DELIVERED.name().toLowerCase(Locale.ROOT))) {
            item.put(
                    "pricing",
                    Map.of(
                            "billable", message.pricingType().equals("regular"),
                            "pricing_model", "PMP",
                            "type", message.pricingType(),
                            "category", message.pricingCategory()));
        }
        if (failed) {
            item.put("errors", List.of(message.failure().webhookError()));
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("messaging_product", "whatsapp");
        value.put(
                "metadata",
                Map.of(
                        "display_phone_number", message.phoneNumber().displayPhoneNumber(),
                        "phone_number_id", message.phoneNumber().id()));
        value.put("statuses", List.of(item));
        return Map.of(
                "object",
                "whatsapp_business_account",
                "entry",
                List.of(Map.of(
                        "id",
                        message.phoneNumber().wabaId(),
                        "changes",
                        List.of(Map.of("field", "messages", "value", value)))));
    }
}
