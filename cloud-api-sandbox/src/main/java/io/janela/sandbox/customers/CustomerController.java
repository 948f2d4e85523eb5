package io.janela.sandbox.customers;

import io.janela.sandbox.config.SandboxProperties;
import io.janela.sandbox.config.SandboxProperties.PhoneNumber;
import io.janela.sandbox.customers.CustomerWebhooks.Customer;
import io.janela.sandbox.graph.Wamids;
import io.janela.sandbox.window.WindowBook;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Plays the customer's side (not Meta's API): a customer writes to a business number, or stops or resumes marketing
 * messages; the sandbox posts the signed webhook Meta would post, and answers once the webhook receiver has answered.
 * A customer message also opens the sandbox's own window for that contact, as {@code POST /sandbox/inbound} does.
 */
@RestController
@RequestMapping("/sandbox")
class CustomerController {

    private final SandboxProperties properties;
    private final CustomerWebhooks webhooks;
    private final WindowBook windows;
    private final SentChoices choices;
    private final Clock clock;

    CustomerController(
            SandboxProperties properties,
            CustomerWebhooks webhooks,
            WindowBook windows,
            SentChoices choices,
            Clock clock) {
        this.properties = properties;
        this.webhooks = webhooks;
        this.windows = windows;
        this.choices = choices;
        this.clock = clock;
    }

    /**
     * A customer's text message.
     *
     * @param waId the customer's phone number (digits, or E.164), if visible to the business
     * @param userId the customer's business-scoped user id
     * @param name the profile name
     * @param timestamp Unix seconds; default now
     * @param referral a click-to-WhatsApp ad referral in Meta's shape ({@code source_url}, {@code source_id},
     *     {@code source_type}, {@code headline}, {@code body}, {@code media_type}, {@code ctwa_clid}, ...), passed on as
     *     given
     */
    record CustomerMessage(
            String phoneNumberId,
            String waId,
            String userId,
            String name,
            String text,
            Long timestamp,
            JsonNode referral) {

        /** The referral, or null when none was given (absent or JSON null). */
        JsonNode adReferral() {
            return referral == null || referral.isNull() || referral.isMissingNode() ? null : referral;
        }
    }

    /**
     * A customer taps a choice of a message the business sent: a list row, a reply button, a template quick reply.
     *
     * @param contextId the wamid of that message; default: the latest message with choices sent to this customer
     * @param choice the option's id or payload, its title, or the start of its title ({@code "5"} for
     *     {@code "5 - Excellent"})
     */
    record CustomerReply(
            String phoneNumberId,
            String waId,
            String userId,
            String name,
            String contextId,
            String choice,
            Long timestamp) {}

    /** A marketing preference: {@code value} is {@code stop} or {@code resume}. */
    record UserPreference(String phoneNumberId, String waId, String userId, String value, Long timestamp) {}

    /** What was posted: the message id (for messages), Meta's timestamp, and the webhook receiver's HTTP status. */
    record Posted(String messageId, long timestamp, int webhookStatus) {}

    @PostMapping("/customer-messages")
    Mono<ResponseEntity<Object>> customerMessage(@RequestBody CustomerMessage request) {
        Optional<String> invalid = identityProblem(request.phoneNumberId(), request.waId(), request.userId());
        if (invalid.isEmpty() && (request.text() == null || request.text().isEmpty())) {
            invalid = Optional.of("text is required");
        }
        if (invalid.isEmpty()
                && request.adReferral() != null
                && !request.adReferral().isObject()) {
            invalid = Optional.of("referral must be an object in Meta's shape");
        }
        Optional<ResponseEntity<Object>> refused = refusal(invalid, request.phoneNumberId());
        if (refused.isPresent()) {
            return Mono.just(refused.get());
        }
        PhoneNumber number = properties.phoneNumber(request.phoneNumberId()).orElseThrow();
        Customer customer = customer(request.waId(), request.userId(), request.name());
        Instant at = at(request.timestamp());
        String wamid = Wamids.next();
        windows.inbound(number.id(), customer.waId(), customer.userId(), at);
        return deliver(
                webhooks.textMessage(number, customer, wamid, at, request.text(), request.adReferral()), wamid, at);
    }

    @PostMapping("/customer-replies")
    Mono<ResponseEntity<Object>> customerReply(@RequestBody CustomerReply request) {
        Optional<String> invalid = identityProblem(request.phoneNumberId(), request.waId(), request.userId());
        if (invalid.isEmpty() && (request.choice() == null || request.choice().isBlank())) {
            invalid = Optional.of("choice is required: an option's id, payload or title");
        }
        Optional<ResponseEntity<Object>> refused = refusal(invalid, request.phoneNumberId());
        if (refused.isPresent()) {
            return Mono.just(refused.get());
        }
        PhoneNumber number = properties.phoneNumber(request.phoneNumberId()).orElseThrow();
        Customer given = customer(request.waId(), request.userId(), request.name());
        // The sandbox may know the customer's other identity from an earlier message: the reply carries both.
        Optional<WindowBook.Contact> known =
                windows.find(number.id(), given.waId()).or(() -> windows.find(number.id(), given.userId()));
        Customer customer = new Customer(
                given.waId() != null
                        ? given.waId()
                        : known.map(WindowBook.Contact::waId).orElse(null),
                given.userId() != null
                        ? given.userId()
                        : known.map(WindowBook.Contact::userId).orElse(null),
                given.name());
        List<String> identities = new ArrayList<>();
        if (customer.waId() != null) {
            identities.add(customer.waId());
        }
        if (customer.userId() != null) {
            identities.add(customer.userId());
        }
        Optional<SentChoices.Sent> sent = request.contextId() == null
                ? choices.latest(number.id(), identities)
                : choices.find(request.contextId())
                        .filter(found ->
                                found.phoneNumberId().equals(number.id()) && identities.contains(found.recipient()));
        if (sent.isEmpty()) {
            return Mono.just(problem(
                    HttpStatus.NOT_FOUND,
                    request.contextId() == null
                            ? "no message with choices was sent to this customer"
                            : "no message " + request.contextId() + " with choices was sent to this customer"));
        }
        Optional<SentChoices.Option> option = sent.get().option(request.choice());
        if (option.isEmpty()) {
            return Mono.just(problem(
                    HttpStatus.BAD_REQUEST,
                    "message " + sent.get().wamid() + " has no choice '" + request.choice() + "'; its choices: "
                            + sent.get().options().stream()
                                    .map(SentChoices.Option::title)
                                    .toList()));
        }
        Instant at = at(request.timestamp());
        String wamid = Wamids.next();
        windows.inbound(number.id(), customer.waId(), customer.userId(), at);
        return deliver(
                webhooks.replyMessage(
                        number,
                        customer,
                        wamid,
                        at,
                        sent.get().wamid(),
                        sent.get().kind(),
                        option.get()),
                wamid,
                at);
    }

    @PostMapping("/user-preferences")
    Mono<ResponseEntity<Object>> userPreference(@RequestBody UserPreference request) {
        Optional<String> invalid = identityProblem(request.phoneNumberId(), request.waId(), request.userId());
        if (invalid.isEmpty() && !"stop".equals(request.value()) && !"resume".equals(request.value())) {
            invalid = Optional.of("value must be stop or resume");
        }
        Optional<ResponseEntity<Object>> refused = refusal(invalid, request.phoneNumberId());
        if (refused.isPresent()) {
            return Mono.just(refused.get());
        }
        PhoneNumber number = properties.phoneNumber(request.phoneNumberId()).orElseThrow();
        Instant at = at(request.timestamp());
        return deliver(
                webhooks.userPreference(number, customer(request.waId(), request.userId(), null), request.value(), at),
                null,
                at);
    }

    private Mono<ResponseEntity<Object>> deliver(Map<String, Object> webhook, String wamid, Instant at) {
        return deliver(webhooks, webhook, status -> new Posted(wamid, at.getEpochSecond(), status));
    }

    /** Posts a webhook; 200 with {@code answer} of the receiver's status when it took it, else 502 with it. */
    static Mono<ResponseEntity<Object>> deliver(
            CustomerWebhooks webhooks, Map<String, Object> webhook, IntFunction<Object> answer) {
        return webhooks.post(webhook).map(status -> {
            Object posted = answer.apply(status);
            return status >= 200 && status < 300
                    ? ResponseEntity.ok(posted)
                    : ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(posted);
        });
    }

    private Optional<ResponseEntity<Object>> refusal(Optional<String> invalid, String phoneNumberId) {
        return refusal(properties, webhooks, invalid, phoneNumberId);
    }

    /** A bad request (400 with what is wrong), an unknown number (404), no webhook URL (409), or nothing. */
    static Optional<ResponseEntity<Object>> refusal(
            SandboxProperties properties, CustomerWebhooks webhooks, Optional<String> invalid, String phoneNumberId) {
        if (invalid.isPresent()) {
            return Optional.of(problem(HttpStatus.BAD_REQUEST, invalid.get()));
        }
        if (properties.phoneNumber(phoneNumberId).isEmpty()) {
            return Optional.of(problem(HttpStatus.NOT_FOUND, "unknown business phone number id " + phoneNumberId));
        }
        if (!webhooks.configured()) {
            return Optional.of(
                    problem(HttpStatus.CONFLICT, "no webhook URL is configured (janela.sandbox.webhook-url)"));
        }
        return Optional.empty();
    }

    static Optional<String> identityProblem(String phoneNumberId, String waId, String userId) {
        if (phoneNumberId == null || phoneNumberId.isBlank()) {
            return Optional.of("phoneNumberId is required");
        }
        if ((waId == null || waId.isBlank()) && (userId == null || userId.isBlank())) {
            return Optional.of("waId or userId is required");
        }
        return Optional.empty();
    }

    private Instant at(Long timestamp) {
        return timestamp == null
                ? Instant.ofEpochSecond(clock.instant().getEpochSecond())
                : Instant.ofEpochSecond(timestamp);
    }

    static Customer customer(String waId, String userId, String name) {
        return new Customer(
                waId == null || waId.isBlank() ? null : WindowBook.digits(waId),
                userId == null || userId.isBlank() ? null : userId,
                name);
    }

    static ResponseEntity<Object> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
