package io.janela.sandbox.control;

import io.janela.sandbox.customers.SentChoices;
import io.janela.sandbox.faults.Fault;
import io.janela.sandbox.faults.FaultPlan;
import io.janela.sandbox.templates.TemplateCatalog;
import io.janela.sandbox.window.WindowBook;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The sandbox's own API, under {@code /sandbox}: tell it about inbound messages (which open windows), inject faults
 * and latency, replace templates, read what it received, and reset it. Not part of Meta's API.
 */
@RestController
@RequestMapping("/sandbox")
class ControlController {

    private final WindowBook windows;
    private final FaultPlan faults;
    private final TemplateCatalog templates;
    private final RequestLog requests;
    private final SentChoices choices;
    private final Clock clock;

    ControlController(
            WindowBook windows,
            FaultPlan faults,
            TemplateCatalog templates,
            RequestLog requests,
            SentChoices choices,
            Clock clock) {
        this.windows = windows;
        this.faults = faults;
        this.templates = templates;
        this.requests = requests;
        this.choices = choices;
        this.clock = clock;
    }

    /**
     * A user wrote to a business number at {@code timestamp} (Unix seconds, as Meta's webhooks; default now).
     *
     * @param waId the user's phone number, if visible
     * @param userId the user's business-scoped user id
     */
    record Inbound(String phoneNumberId, String waId, String userId, Long timestamp) {}

    /** Every answer waits {@code fixedMillis} plus a random part of {@code jitterMillis}. */
    record Latency(long fixedMillis, long jitterMillis) {}

    record Intake(long jitterMillis) {}

    @PostMapping("/inbound")
    ResponseEntity<Void> inbound(@RequestBody Inbound inbound) {
        if (inbound.phoneNumberId() == null || (inbound.waId() == null && inbound.userId() == null)) {
            return ResponseEntity.badRequest().build();
        }
        Instant at = inbound.timestamp() == null ? clock.instant() : Instant.ofEpochSecond(inbound.timestamp());
        windows.inbound(inbound.phoneNumberId(), inbound.waId(), inbound.userId(), at);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/faults")
    ResponseEntity<Void> fault(@RequestBody Fault fault) {
        faults.add(fault);
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/latency")
    ResponseEntity<Void> latency(@RequestBody Latency latency) {
        faults.latency(Duration.ofMillis(latency.fixedMillis()), Duration.ofMillis(latency.jitterMillis()));
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/intake")
    ResponseEntity<Void> intake(@RequestBody Intake intake) {
        faults.intakeJitter(Duration.ofMillis(intake.jitterMillis()));
        return ResponseEntity.noContent().build();
    }

    @PutMapping("/templates/{wabaId}")
    ResponseEntity<Void> templates(@PathVariable String wabaId, @RequestBody List<JsonNode> list) {
        templates.replace(wabaId, list);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/requests")
    List<LoggedRequest> requests() {
        return requests.all();
    }

    @DeleteMapping
    ResponseEntity<Void> reset() {
        windows.clear();
        faults.clear();
        templates.reset();
        requests.clear();
        choices.clear();
        return ResponseEntity.noContent().build();
    }
}
