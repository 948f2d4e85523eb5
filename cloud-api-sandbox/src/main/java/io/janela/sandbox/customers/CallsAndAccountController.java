package io.janela.sandbox.customers;

import io.janela.sandbox.config.SandboxProperties;
import io.janela.sandbox.config.SandboxProperties.PhoneNumber;
import io.janela.sandbox.customers.CustomerWebhooks.Customer;
import io.janela.sandbox.graph.Wamids;
import io.janela.sandbox.window.WindowBook;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The other acts Meta reports (WHATSAPP.md §11), posted as Meta posts them and signed: a customer calls the business
 * ({@code calls} webhook, {@code calls[]} item, {@code direction: USER_INITIATED}); a call the business placed rings,
 * is accepted or rejected ({@code calls} webhook, {@code statuses[]} item of {@code type: call}); the business answers
 * from the WhatsApp Business app ({@code smb_message_echoes}); the account's state changes ({@code account_update},
 * {@code business_capability_update}, {@code phone_number_quality_update}, {@code user_id_update}). A user call's
 * {@code connect} and an accepted business call open the sandbox's window, as Meta's; an echo changes no window.
 */
@RestController
@RequestMapping("/sandbox")
class CallsAndAccountController {

    static final Set<String> ACCOUNT_FIELDS =
            Set.of("account_update", "business_capability_update", "phone_number_quality_update", "user_id_update");
    private static final Set<String> BUSINESS_CALL_STATUSES = Set.of("RINGING", "ACCEPTED", "REJECTED");

    private final SandboxProperties properties;
    private final CustomerWebhooks webhooks;
    private final WindowBook windows;
    private final Clock clock;

    CallsAndAccountController(
            SandboxProperties properties, CustomerWebhooks webhooks, WindowBook windows, Clock clock) {
        this.properties = properties;
        this.webhooks = webhooks;
        this.windows = windows;
        this.clock = clock;
    }

    /**
     * A customer calls: {@code event} {@code connect} (default) or {@code terminate} (with {@code status}
     * {@code COMPLETED} by default or {@code FAILED}, and {@code durationSeconds}).
     */
    record CustomerCall(
            String phoneNumberId,
            String waId,
            String userId,
            String name,
            String callId,
            String event,
            String status,
            Long durationSeconds,
            Long timestamp) {}

    /** The status of a call the business placed: {@code RINGING}, {@code ACCEPTED} or {@code REJECTED}. */
    record BusinessCall(
            String phoneNumberId,
            String waId,
            String userId,
            String callId,
            String status,
            String bizOpaqueCallbackData,
            Long timestamp) {}

    /** A text the business sent from the WhatsApp Business app, optionally quoting the customer message {@code contextId}. */
    record AppEcho(String phoneNumberId, String waId, String userId, String text, String contextId, Long timestamp) {}

    /**
     * An account-level change: {@code value} in Meta's shape for {@code field}, posted as given under an entry of
     * {@code wabaId} (default: that of {@code phoneNumberId}, else of the first configured number) with {@code time}
     * (Unix seconds, default now). A {@code user_id_update} also gets the number's {@code metadata} when it has none.
     */
    record AccountChange(String field, JsonNode value, String wabaId, String phoneNumberId, Long time) {}

    /** What was posted: the call or message id, Meta's timestamp, and the webhook receiver's HTTP status. */
    record Posted(String id, long timestamp, int webhookStatus) {}

    @PostMapping("/customer-calls")
    Mono<ResponseEntity<Object>> customerCall(@RequestBody CustomerCall request) {
        String event = request.event() == null ? "connect" : request.event().toLowerCase(Locale.ROOT);
        Optional<String> invalid =
                CustomerController.identityProblem(request.phoneNumberId(), request.waId(), request.userId());
        if (invalid.isEmpty() && !event.equals("connect") && !event.equals("terminate")) {
            invalid = Optional.of("event must be connect or terminate");
        }
        Optional<ResponseEntity<Object>> refused = refusal(invalid, request.phoneNumberId());
        if (refused.isPresent()) {
            return Mono.just(refused.get());
        }
        PhoneNumber number = properties.phoneNumber(request.phoneNumberId()).orElseThrow();
        Customer customer = CustomerController.customer(request.waId(), request.userId(), request.name());
        Instant at = at(request.timestamp());
        String callId = request.callId() != null ? request.callId() : callId();
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", callId);
        identify(call, "from", "from_user_id", customer);
        call.put("to", number.displayPhoneNumber());
        call.put("event", event);
        call.put("timestamp", Long.toString(at.getEpochSecond()));
        call.put("direction", "USER_INITIATED");
        if (event.equals("connect")) {
            call.put("session", Map.of("sdp_type", "offer", "sdp", "v=0"));
            // Meta: a user call opens or refreshes the window, answered or not.
            windows.inbound(number.id(), customer.waId(), customer.userId(), at);
        } else {
            long duration = request.durationSeconds() == null ? 0 : request.durationSeconds();
            call.put("status", request.status() == null ? "COMPLETED" : request.status());
            call.put("start_time", Long.toString(at.getEpochSecond() - duration));
            call.put("end_time", Long.toString(at.getEpochSecond()));
            call.put("duration", duration);
        }
        Map<String, Object> value = CustomerWebhooks.value(number);
        value.put("contacts", List.of(CustomerWebhooks.contact(customer)));
        value.put("calls", List.of(call));
        return deliver(CustomerWebhooks.envelope(number, "calls", value), callId, at);
    }

    @PostMapping("/business-calls")
    Mono<ResponseEntity<Object>> businessCall(@RequestBody BusinessCall request) {
        String status = request.status() == null ? null : request.status().toUpperCase(Locale.ROOT);
        Optional<String> invalid =
                CustomerController.identityProblem(request.phoneNumberId(), request.waId(), request.userId());
        if (invalid.isEmpty() && !BUSINESS_CALL_STATUSES.contains(status)) {
            invalid = Optional.of("status must be RINGING, ACCEPTED or REJECTED");
        }
        Optional<ResponseEntity<Object>> refused = refusal(invalid, request.phoneNumberId());
        if (refused.isPresent()) {
            return Mono.just(refused.get());
        }
        PhoneNumber number = properties.phoneNumber(request.phoneNumberId()).orElseThrow();
        Customer customer = CustomerController.customer(request.waId(), request.userId(), null);
        Instant at = at(request.timestamp());
        String callId = request.callId() != null ? request.callId() : callId();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", callId);
        item.put("timestamp", Long.toString(at.getEpochSecond()));
        item.put("type", "call");
        item.put("status", status);
        identify(item, "recipient_id", "recipient_user_id", customer);
        if (request.bizOpaqueCallbackData() != null) {
            item.put("biz_opaque_callback_data", request.bizOpaqueCallbackData());
        }
        if (status.equals("ACCEPTED")) {
            // Meta: a call the user accepts opens or refreshes the window; ringing or rejected ones do not.
            windows.inbound(number.id(), customer.waId(), customer.userId(), at);
        }
        Map<String, Object> value = CustomerWebhooks.value(number);
        value.put("statuses", List.of(item));
        return deliver(CustomerWebhooks.envelope(number, "calls", value), callId, at);
    }

    @PostMapping("/echoes")
    Mono<ResponseEntity<Object>> echo(@RequestBody AppEcho request) {
        Optional<String> invalid =
                CustomerController.identityProblem(request.phoneNumberId(), request.waId(), request.userId());
        if (invalid.isEmpty() && (request.text() == null || request.text().isEmpty())) {
            invalid = Optional.of("text is required");
        }
        Optional<ResponseEntity<Object>> refused = refusal(invalid, request.phoneNumberId());
        if (refused.isPresent()) {
            return Mono.just(refused.get());
        }
        PhoneNumber number = properties.phoneNumber(request.phoneNumberId()).orElseThrow();
        Customer customer = CustomerController.customer(request.waId(), request.userId(), null);
        Instant at = at(request.timestamp());
        String wamid = Wamids.next();
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("from", number.displayPhoneNumber());
        identify(echo, "to", "to_user_id", customer);
        echo.put("id", wamid);
        echo.put("timestamp", Long.toString(at.getEpochSecond()));
        echo.put("type", "text");
        echo.put("text", Map.of("body", request.text()));
        if (request.contextId() != null) {
            echo.put("context", Map.of("id", request.contextId()));
        }
        Map<String, Object> value = CustomerWebhooks.value(number);
        value.put("message_echoes", List.of(echo));
        // Meta: app-sent messages do not create, extend or affect the window; the window book is left alone.
        return deliver(CustomerWebhooks.envelope(number, "smb_message_echoes", value), wamid, at);
    }

    @PostMapping("/account-events")
    Mono<ResponseEntity<Object>> accountEvent(@RequestBody AccountChange request) {
        if (request.field() == null || !ACCOUNT_FIELDS.contains(request.field())) {
            return Mono.just(CustomerController.problem(
                    HttpStatus.BAD_REQUEST,
                    "field must be one of " + ACCOUNT_FIELDS.stream().sorted().toList()));
        }
        if (request.value() == null || !request.value().isObject()) {
            return Mono.just(CustomerController.problem(
                    HttpStatus.BAD_REQUEST, "value must be an object in Meta's shape for " + request.field()));
        }
        Optional<PhoneNumber> number = request.phoneNumberId() == null
                ? properties.phoneNumbers().stream().findFirst()
                : properties.phoneNumber(request.phoneNumberId());
        if (number.isEmpty()) {
            return Mono.just(CustomerController.problem(
                    HttpStatus.NOT_FOUND, "unknown business phone number id " + request.phoneNumberId()));
        }
        Optional<ResponseEntity<Object>> refused =
                refusal(Optional.empty(), number.get().id());
        if (refused.isPresent()) {
            return Mono.just(refused.get());
        }
        Instant at = at(request.time());
        Map<String, Object> value = new LinkedHashMap<>();
        if (request.field().equals("user_id_update") && !request.value().has("metadata")) {
            value.putAll(CustomerWebhooks.value(number.get()));
        }
        request.value().properties().forEach(field -> value.put(field.getKey(), field.getValue()));
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("value", value);
        change.put("field", request.field());
        List<Object> changes = new ArrayList<>();
        changes.add(change);
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put(
                "id", request.wabaId() != null ? request.wabaId() : number.get().wabaId());
        entry.put("time", at.getEpochSecond());
        entry.put("changes", changes);
        Map<String, Object> webhook = new LinkedHashMap<>();
        webhook.put("object", "whatsapp_business_account");
        webhook.put("entry", List.of(entry));
        return deliver(webhook, null, at);
    }

    private Mono<ResponseEntity<Object>> deliver(Map<String, Object> webhook, String id, Instant at) {
        return CustomerController.deliver(webhooks, webhook, status -> new Posted(id, at.getEpochSecond(), status));
    }

    private Optional<ResponseEntity<Object>> refusal(Optional<String> invalid, String phoneNumberId) {
        return CustomerController.refusal(properties, webhooks, invalid, phoneNumberId);
    }

    /** The customer's phone number and user id under Meta's names for this item, each when known. */
    private static void identify(Map<String, Object> item, String waIdField, String userIdField, Customer customer) {
        if (customer.waId() != null) {
            item.put(waIdField, customer.waId());
        }
        if (customer.userId() != null) {
            item.put(userIdField, customer.userId());
        }
    }

    private Instant at(Long timestamp) {
        return timestamp == null
                ? Instant.ofEpochSecond(clock.instant().getEpochSecond())
                : Instant.ofEpochSecond(timestamp);
    }

    /** A call id in Meta's form ({@code wacid.} and base64). */
    private static String callId() {
        return "wacid."
                + java.util.Base64.getEncoder()
                        .encodeToString(
                                UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
