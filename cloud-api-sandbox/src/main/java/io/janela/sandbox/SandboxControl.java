package io.janela.sandbox;

import io.janela.sandbox.control.LoggedRequest;
import io.janela.sandbox.faults.Fault;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * A blocking client of the sandbox's control API ({@code /sandbox/...}), for whoever drives a sandbox: integration
 * tests and the local stack.
 */
public final class SandboxControl {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_RESPONSE = 512 * 1024 * 1024;

    private final WebClient client;

    public SandboxControl(URI baseUrl) {
        this.client = WebClient.builder()
                .baseUrl(baseUrl.toString())
                // The request log can be long (benchmarks read hundreds of thousands of entries).
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_RESPONSE))
                .build();
    }

    /** A user wrote to a business number at {@code at}: the window opens or refreshes. */
    public void inbound(String phoneNumberId, String waId, String userId, Instant at) {
        Map<String, Object> body = aboutCustomer(phoneNumberId, waId, userId);
        body.put("timestamp", at.getEpochSecond());
        post("/sandbox/inbound", body);
    }

    /**
     * A customer writes {@code text} to a business number now: the sandbox posts the signed {@code messages} webhook
     * (with {@code referral}, in Meta's shape, when not null) and returns the message id once the receiver took it.
     */
    public String customerWrites(
            String phoneNumberId, String waId, String userId, String text, Map<String, Object> referral) {
        Map<String, Object> body = aboutCustomer(phoneNumberId, waId, userId);
        body.put("text", text);
        body.put("referral", referral);
        return postMessage("/sandbox/customer-messages", body);
    }

    /**
     * A customer taps {@code choice} (an option's id or payload, its title, or the start of its title) of the message
     * {@code contextId} (null: the latest message with choices sent to them): the sandbox posts the reply with Meta's
     * {@code context} and returns its message id once the receiver took it.
     */
    public String customerReplies(String phoneNumberId, String waId, String userId, String contextId, String choice) {
        Map<String, Object> body = aboutCustomer(phoneNumberId, waId, userId);
        body.put("contextId", contextId);
        body.put("choice", choice);
        return postMessage("/sandbox/customer-replies", body);
    }

    /** A customer stops ({@code "stop"}) or resumes ({@code "resume"}) marketing messages: a signed webhook. */
    public void userPreference(String phoneNumberId, String waId, String userId, String value) {
        Map<String, Object> body = aboutCustomer(phoneNumberId, waId, userId);
        body.put("value", value);
        post("/sandbox/user-preferences", body);
    }

    /**
     * A customer calls a business number now ({@code connect}): the sandbox opens the window, as Meta does for a user
     * call, posts the signed {@code calls} webhook and returns the call id once the receiver took it.
     */
    public String customerCalls(String phoneNumberId, String waId, String userId) {
        Map<String, Object> body = aboutCustomer(phoneNumberId, waId, userId);
        return (String) postFor("/sandbox/customer-calls", body).get("id");
    }

    /**
     * A call the business placed to this customer is {@code RINGING}, {@code ACCEPTED} (the window opens) or
     * {@code REJECTED}: the signed {@code calls} status webhook; returns the call id.
     */
    public String businessCallStatus(String phoneNumberId, String waId, String userId, String callId, String status) {
        Map<String, Object> body = aboutCustomer(phoneNumberId, waId, userId);
        body.put("callId", callId);
        body.put("status", status);
        return (String) postFor("/sandbox/business-calls", body).get("id");
    }

    /** The business answers from the WhatsApp Business app: the signed {@code smb_message_echoes} webhook; its wamid. */
    public String appEcho(String phoneNumberId, String waId, String userId, String text) {
        Map<String, Object> body = aboutCustomer(phoneNumberId, waId, userId);
        body.put("text", text);
        return (String) postFor("/sandbox/echoes", body).get("id");
    }

    /**
     * An account-level change ({@code account_update}, {@code business_capability_update},
     * {@code phone_number_quality_update}, {@code user_id_update}) with {@code value} in Meta's shape, under the
     * entry of {@code wabaId} (null: the configured one of the first number) dated now.
     */
    public void accountEvent(String wabaId, String field, Map<String, Object> value) {
        Map<String, Object> body = new HashMap<>();
        body.put("wabaId", wabaId);
        body.put("field", field);
        body.put("value", value);
        postFor("/sandbox/account-events", body);
    }

    /** The next sends that match answer with this fault. */
    public void inject(Fault fault) {
        post("/sandbox/faults", fault);
    }

    public void latency(Duration fixed, Duration jitter) {
        client.put()
                .uri("/sandbox/latency")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("fixedMillis", fixed.toMillis(), "jitterMillis", jitter.toMillis()))
                .retrieve()
                .toBodilessEntity()
                .block(TIMEOUT);
    }

    /** Every send waits up to {@code jitter} (uniformly) before the sandbox times, counts and answers it. */
    public void intakeJitter(Duration jitter) {
        client.put()
                .uri("/sandbox/intake")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("jitterMillis", jitter.toMillis()))
                .retrieve()
                .toBodilessEntity()
                .block(TIMEOUT);
    }

    /** Replaces a business account's templates; each one as {@code GET message_templates} lists it. */
    public void templates(String wabaId, List<Map<String, Object>> templates) {
        client.put()
                .uri("/sandbox/templates/{wabaId}", wabaId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(templates)
                .retrieve()
                .toBodilessEntity()
                .block(TIMEOUT);
    }

    /** Every send request received since the last reset, oldest first. */
    public List<LoggedRequest> requests() {
        return client.get()
                .uri("/sandbox/requests")
                .retrieve()
                .bodyToMono(new ParameterizedTypeReference<List<LoggedRequest>>() {})
                .block(TIMEOUT);
    }

    /** The accepted sends only. */
    public List<LoggedRequest> accepted() {
        return requests().stream().filter(LoggedRequest::accepted).toList();
    }

    /** Forgets windows, faults, latency and requests; templates go back to the configured ones. */
    public void reset() {
        client.delete().uri("/sandbox").retrieve().toBodilessEntity().block(TIMEOUT);
    }

    /** The fields every customer-side control call names: the business number and the customer's two identities. */
    private static Map<String, Object> aboutCustomer(String phoneNumberId, String waId, String userId) {
        Map<String, Object> body = new HashMap<>();
        body.put("phoneNumberId", phoneNumberId);
        body.put("waId", waId);
        body.put("userId", userId);
        return body;
    }

    /** Posts a customer's message; its message id once the webhook receiver took it. */
    private String postMessage(String path, Map<String, Object> body) {
        return (String) postFor(path, body).get("messageId");
    }

    /** Posts to the control API; its answer once the webhook receiver took what it posted. */
    private Map<String, Object> postFor(String path, Map<String, Object> body) {
        return posting(path, body)
                .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {})
                .block(TIMEOUT);
    }

    private void post(String path, Object body) {
        posting(path, body).toBodilessEntity().block(TIMEOUT);
    }

    private WebClient.ResponseSpec posting(String path, Object body) {
        return client.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .retrieve()
                .onStatus(HttpStatusCode::isError, SandboxControl::refused);
    }

    /** An error answer with what the sandbox said, so that a caller's failure explains itself. */
    private static Mono<Throwable> refused(ClientResponse response) {
        return response.bodyToMono(String.class)
                .defaultIfEmpty("")
                .map(body -> new IllegalStateException(
                        "the sandbox answered " + response.statusCode().value() + ": " + body));
    }
}
