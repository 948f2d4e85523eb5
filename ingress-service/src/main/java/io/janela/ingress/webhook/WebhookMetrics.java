package io.janela.ingress.webhook;

import io.janela.ingress.parse.DeadLetterReason;
import io.janela.ingress.parse.ParseNotes;
import io.janela.ingress.parse.RecordKind;
import io.janela.ingress.signature.SignatureCheck;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's meters. Every tag comes from a small closed set (outcomes, reasons, record kinds, Meta's field
 * names); nothing from a payload becomes a tag unless it is one of a known list. Counters are registered up front so
 * that dashboards and alerts see zeros rather than gaps.
 */
public final class WebhookMetrics {

    /** Webhook requests by how they ended (HTTP status in brackets). */
    public enum RequestOutcome {
        ACCEPTED, // 200
        DEAD_LETTERED, // 200
        UNAUTHORIZED, // 401
        PAYLOAD_TOO_LARGE, // 413
        UNAVAILABLE; // 503

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Meta's webhook fields, so that an ignored field can be a tag without letting arbitrary text in. */
    private static final Set<String> KNOWN_FIELDS = Set.of(
            "account_alerts",
            "account_review_update",
            "account_update",
            "automatic_events",
            "business_capability_update",
            "business_status_update",
            "calls",
            "flows",
            "group_lifecycle_update",
            "group_participants_update",
            "group_settings_update",
            "group_status_update",
            "history",
            "message_echoes",
            "message_template_components_update",
            "partner_solutions",
            "payment_configuration_update",
            "phone_number_name_update",
            "phone_number_quality_update",
            "security",
            "smb_app_state_sync",
            "smb_message_echoes",
            "template_correct_category_detection",
            "tracking_events",
            "user_actions",
            "user_id_update");

    private static final List<String> UNRECOGNISED_FIELDS = List.of(
            "message_type",
            "interactive_type",
            "status",
            "pricing_type",
            "pricing_category",
            "conversation_origin",
            "conversation_expiration",
            "error_code",
            "template_status",
            "template_category",
            "quality_score",
            "preference_category",
            "preference_value",
            "call_direction",
            "call_event",
            "call_status",
            "echo_type",
            "restriction_type",
            "messaging_limit",
            "throughput_level");

    private final MeterRegistry registry;
    private final Map<RequestOutcome, Counter> requests = new EnumMap<>(RequestOutcome.class);
    private final Map<SignatureCheck.Outcome, Counter> signatureRejections =
            new EnumMap<>(SignatureCheck.Outcome.class);
    private final Counter[] signaturesVerified;
    private final Map<RecordKind, Counter> published = new EnumMap<>(RecordKind.class);
    private final Map<RecordKind, Counter> oldDated = new EnumMap<>(RecordKind.class);
    private final Map<DeadLetterReason, Counter> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final Map<String, Counter> unrecognised = new ConcurrentHashMap<>();
    private final Map<String, Counter> ignoredChanges = new ConcurrentHashMap<>();
    private final Counter platformErrors;
    private final Timer publishAcknowledged;
    private final Timer publishFailed;
    private final Counter handshakesVerified;
    private final Counter handshakesRejected;

    public WebhookMetrics(MeterRegistry registry, int appSecrets) {
        this.registry = registry;
        for (RequestOutcome outcome : RequestOutcome.values()) {
            requests.put(
                    outcome,
                    Counter.builder("janela.webhooks.received")
                            .description("Webhook POSTs by outcome")
                            .tag("outcome", outcome.tag())
                            .register(registry));
        }
        for (SignatureCheck.Outcome reason : SignatureCheck.Outcome.values()) {
            if (reason != SignatureCheck.Outcome.VALID) {
                signatureRejections.put(
                        reason,
                        Counter.builder("janela.webhook.signatures.rejected")
                                .description("Webhook POSTs refused for their X-Hub-Signature-256")
                                .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                                .register(registry));
            }
        }
        signaturesVerified = new Counter[appSecrets];
        for (int i = 0; i < appSecrets; i++) {
            signaturesVerified[i] = Counter.builder("janela.webhook.signatures.verified")
                    .description("Webhook POSTs signed by the app secret at this position of the configured list")
                    .tag("secret", Integer.toString(i))
                    .register(registry);
        }
        for (RecordKind kind : RecordKind.values()) {
            published.put(
                    kind,
                    Counter.builder("janela.webhook.records.published")
                            .description("Records Kafka acknowledged, by kind")
                            .tag("kind", kind.tag())
                            .register(registry));
            oldDated.put(
                    kind,
                    Counter.builder("janela.webhook.records.old-dated")
                            .description("Records Kafka acknowledged whose Meta time was more than"
                                    + " janela.ingress.old-dated-after before they arrived, by kind")
                            .tag("kind", kind.tag())
                            .register(registry));
        }
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(
                    reason,
                    Counter.builder("janela.webhook.deadletters.published")
                            .description("Webhook bodies written to the dead-letter topic, by reason")
                            .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        UNRECOGNISED_FIELDS.forEach(this::unrecognisedCounter);
        platformErrors = Counter.builder("janela.webhook.platform-errors.received")
                .description("Account-level errors Meta reported in value.errors[] (codes are logged)")
                .register(registry);
        publishAcknowledged = publishTimer("acknowledged");
        publishFailed = publishTimer("failed");
        handshakesVerified = handshakeCounter("verified");
        handshakesRejected = handshakeCounter("rejected");
    }

    void request(RequestOutcome outcome) {
        requests.get(outcome).increment();
    }

    void signatureRejected(SignatureCheck.Outcome reason) {
        signatureRejections.get(reason).increment();
    }

    void signatureVerified(int secretIndex) {
        if (secretIndex >= 0 && secretIndex < signaturesVerified.length) {
            signaturesVerified[secretIndex].increment();
        }
    }

    void published(RecordKind kind, int count) {
        if (count > 0) {
            published.get(kind).increment(count);
        }
    }

    void oldDated(RecordKind kind, int count) {
        if (count > 0) {
            oldDated.get(kind).increment(count);
        }
    }

    void deadLettered(DeadLetterReason reason) {
        deadLetters.get(reason).increment();
    }

    void publishDuration(Duration duration, boolean acknowledged) {
        (acknowledged ? publishAcknowledged : publishFailed).record(duration);
    }

    void handshake(boolean verified) {
        (verified ? handshakesVerified : handshakesRejected).increment();
    }

    void noted(ParseNotes notes) {
        notes.unrecognisedValues().forEach(field -> unrecognisedCounter(field).increment());
        notes.ignoredFields().forEach(field -> ignoredCounter(field).increment());
        if (!notes.platformErrorCodes().isEmpty()) {
            platformErrors.increment(notes.platformErrorCodes().size());
        }
    }

    private Counter unrecognisedCounter(String field) {
        return unrecognised.computeIfAbsent(
                field,
                name -> Counter.builder("janela.webhook.values.unrecognised")
                        .description("Values Meta sent that the contract has no symbol for, mapped to UNKNOWN")
                        .tag("field", name)
                        .register(registry));
    }

    private Counter ignoredCounter(String field) {
        String tag = KNOWN_FIELDS.contains(field) ? field : "other";
        return ignoredChanges.computeIfAbsent(
                tag,
                name -> Counter.builder("janela.webhook.changes.ignored")
                        .description("Webhook changes of fields this service does not publish")
                        .tag("field", name)
                        .register(registry));
    }

    private Timer publishTimer(String outcome) {
        return Timer.builder("janela.webhook.publish.duration")
                .description("From handing a request's records to Kafka until every one was acknowledged or failed")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    private Counter handshakeCounter(String outcome) {
        return Counter.builder("janela.webhook.handshakes")
                .description("Verification handshakes (GET) by outcome")
                .tag("outcome", outcome)
                .register(registry);
    }
}
