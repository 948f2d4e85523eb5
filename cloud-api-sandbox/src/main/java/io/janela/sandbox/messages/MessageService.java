package io.janela.sandbox.messages;

import io.janela.sandbox.config.SandboxProperties;
import io.janela.sandbox.config.SandboxProperties.PhoneNumber;
import io.janela.sandbox.config.SandboxProperties.WindowEnforcement;
import io.janela.sandbox.control.LoggedRequest;
import io.janela.sandbox.control.RequestLog;
import io.janela.sandbox.customers.SentChoices;
import io.janela.sandbox.faults.Fault;
import io.janela.sandbox.faults.FaultPlan;
import io.janela.sandbox.graph.GraphError;
import io.janela.sandbox.graph.GraphErrorException;
import io.janela.sandbox.graph.Wamids;
import io.janela.sandbox.templates.SandboxTemplate;
import io.janela.sandbox.webhooks.AcceptedMessage;
import io.janela.sandbox.webhooks.StatusWebhooks;
import io.janela.sandbox.window.WindowBook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * Answers {@code POST /{version}/{phone-number-id}/messages} as the Cloud API does (WHATSAPP.md §4): the number must
 * exist and the bearer token match; the body must be valid; injected faults come first; a template must pass Meta's
 * checks; free-form outside the customer service window fails with 131047; an accepted message gets a wamid and its
 * status webhooks.
 */
@Service
public class MessageService {

    /** Service messages and utility templates inside the window became billable on this date (WHATSAPP.md §2.2). */
    static final Instant SERVICE_CHARGED_FROM = Instant.parse("2026-10-01T00:00:00Z");

    private final SandboxProperties properties;
    private final SendParser parser;
    private final TemplateRules templateRules;
    private final WindowBook windows;
    private final FaultPlan faults;
    private final ThroughputMeter throughput;
    private final StatusWebhooks webhooks;
    private final RequestLog requestLog;
    private final SentChoices choices;
    private final Clock clock;

    MessageService(
            SandboxProperties properties,
            SendParser parser,
            TemplateRules templateRules,
            WindowBook windows,
            FaultPlan faults,
            ThroughputMeter throughput,
            StatusWebhooks webhooks,
            RequestLog requestLog,
            SentChoices choices,
            Clock clock) {
        this.properties = properties;
        this.parser = parser;
        this.templateRules = templateRules;
        this.windows = windows;
        this.faults = faults;
        this.throughput = throughput;
        this.webhooks = webhooks;
        this.requestLog = requestLog;
        this.choices = choices;
        this.clock = clock;
    }

    public Mono<ResponseEntity<Object>> send(String phoneNumberId, String authorization, String body) {
        Duration intake = faults.nextIntakeDelay();
        return intake.isZero()
                ? take(phoneNumberId, authorization, body)
                : Mono.delay(intake).then(Mono.defer(() -> take(phoneNumberId, authorization, body)));
    }

    /** Takes a send in: its arrival is timed now. */
    private Mono<ResponseEntity<Object>> take(String phoneNumberId, String authorization, String body) {
        Instant now = clock.instant();
        Optional<PhoneNumber> found = properties.phoneNumber(phoneNumberId);
        if (found.isEmpty()) {
            return refuse(now, phoneNumberId, null, GraphError.unknownObject(phoneNumberId));
        }
        PhoneNumber number = found.get();
        if (!authorised(number, authorization)) {
            return refuse(now, phoneNumberId, null, GraphError.invalidToken());
        }
        ParsedSend send;
        try {
            send = parser.parse(body);
        } catch (GraphErrorException e) {
            return refuse(now, phoneNumberId, null, e.error());
        }
        if (number.throughputLimit() > 0 && !throughput.tryAcquire(number.id(), number.throughputLimit(), now)) {
            return refuse(
                    now,
                    phoneNumberId,
                    send,
                    GraphError.of(
                            130429,
                            "Message failed to send because there"
                                    + " were too many messages sent from this phone number in a short period of time."));
        }
        Optional<Fault> fault = faults.take(number.id(), send.recipient());
        if (fault.isPresent() && fault.get().mode() == Fault.Mode.TIMEOUT) {
            requestLog.add(logged(now, phoneNumberId, send, "TIMEOUT", null, null));
            return Mono.never();
        }
        if (fault.isPresent() && fault.get().mode() == Fault.Mode.SYNC) {
            return fault.get().code() == null
                    ? bareGatewayError(now, phoneNumberId, send, fault.get().httpStatus())
                    : refuse(now, phoneNumberId, send, errorOf(fault.get()));
        }
        SandboxTemplate template = null;
        if (!send.freeForm()) {
            try {
                template = templateRules.check(number.wabaId(), send);
            } catch (GraphErrorException e) {
                return refuse(now, phoneNumberId, send, e.error());
            }
        }
        boolean inWindow = windows.isOpen(number.id(), send.recipient(), now);
        GraphError failure = null;
        if (send.freeForm() && !inWindow) {
            GraphError closed = GraphError.of(
                    131047,
                    "Message failed to send because more than 24 hours have"
                            + " passed since the customer last replied to this number.");
            if (properties.windowEnforcement() == WindowEnforcement.SYNC) {
                return refuse(now, phoneNumberId, send, closed);
            }
            failure = closed;
        } else if (fault.isPresent()) {
            failure = errorOf(fault.get());
        }
        return accept(now, number, send, template, inWindow, failure, body);
    }

    private Mono<ResponseEntity<Object>> accept(
            Instant now,
            PhoneNumber number,
            ParsedSend send,
            SandboxTemplate template,
            boolean inWindow,
            GraphError failure,
            String body) {
        String wamid = Wamids.next();
        Optional<WindowBook.Contact> contact = windows.find(number.id(), send.recipient());
        String recipientId = send.waId() != null
                ? send.waId()
                : contact.map(WindowBook.Contact::waId).orElse(null);
        String recipientUserId = send.recipientUserId() != null && send.waId() == null
                ? send.recipientUserId()
                : contact.map(WindowBook.Contact::userId).orElse(null);
        String category = template == null ? "service" : template.category().toLowerCase(Locale.ROOT);
        boolean free = inWindow
                && now.isBefore(SERVICE_CHARGED_FROM)
                && (category.equals("service") || category.equals("utility"));
        requestLog.add(logged(now, number.id(), send, "ACCEPTED", failure == null ? null : failure.code(), wamid));
        if (failure == null) {
            // A customer can tap what reached them (POST /sandbox/customer-replies).
            choices.remember(wamid, number.id(), send.recipient(), body, template);
        }
        webhooks.publish(new AcceptedMessage(
                wamid,
                number,
                recipientId,
                recipientUserId,
                send.waId() == null,
                send.callbackData(),
                category,
                free ? "free_customer_service" : "regular",
                now,
                failure));
        Map<String, Object> contactEntry = new LinkedHashMap<>();
        if (send.waId() != null) {
            contactEntry.put("input", send.to());
            contactEntry.put("wa_id", send.waId());
        } else {
            contactEntry.put("input", send.recipientUserId());
            contactEntry.put("user_id", send.recipientUserId());
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", wamid);
        if (template != null) {
            message.put("message_status", "accepted");
        }
        Map<String, Object> response = Map.of(
                "messaging_product", "whatsapp", "contacts", List.of(contactEntry), "messages", List.of(message));
        return delayed(
                ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(response));
    }

    private Mono<ResponseEntity<Object>> refuse(Instant now, String phoneNumberId, ParsedSend send, GraphError error) {
        requestLog.add(logged(now, phoneNumberId, send, "ERROR", error.code(), null));
        return delayed(ResponseEntity.status(error.httpStatus())
                .contentType(MediaType.APPLICATION_JSON)
                .body(error.body()));
    }

    private Mono<ResponseEntity<Object>> bareGatewayError(
            Instant now, String phoneNumberId, ParsedSend send, int status) {
        requestLog.add(logged(now, phoneNumberId, send, "ERROR", null, null));
        HttpStatus httpStatus = HttpStatus.valueOf(status);
        return delayed(ResponseEntity.status(httpStatus)
                .contentType(MediaType.TEXT_PLAIN)
                .body(httpStatus.getReasonPhrase()));
    }

    private Mono<ResponseEntity<Object>> delayed(ResponseEntity<Object> response) {
        return Mono.delay(faults.nextLatency()).thenReturn(response);
    }

    private static GraphError errorOf(Fault fault) {
        GraphError error = GraphError.of(fault.code(), fault.details());
        return fault.httpStatus() == null ? error : error.withHttpStatus(fault.httpStatus());
    }

    private static boolean authorised(PhoneNumber number, String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        String token = authorization.substring("Bearer ".length()).strip();
        return !token.isEmpty()
                && (number.accessToken() == null || number.accessToken().equals(token));
    }

    private static LoggedRequest logged(
            Instant at, String phoneNumberId, ParsedSend send, String outcome, Integer code, String wamid) {
        return new LoggedRequest(
                at,
                phoneNumberId,
                send == null ? null : send.recipient(),
                send == null ? null : send.type(),
                send == null || send.template() == null ? null : send.template().name(),
                send == null ? null : send.callbackData(),
                outcome,
                code,
                wamid);
    }
}
