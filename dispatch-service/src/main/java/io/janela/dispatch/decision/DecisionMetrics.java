package io.janela.dispatch.decision;

import io.janela.avro.AccountEventKind;
import io.janela.avro.DispatchReason;
import io.janela.dispatch.policy.PortfolioLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decision topology's meters:
 *
 * <ul>
 *   <li>{@code janela.dispatch.decisions} (counter), tags {@code outcome} (send, rejected, expired, duplicate) and
 *       {@code reason} (a {@code DispatchReason} in lower case, or none): one per decided request;
 *   <li>{@code janela.dispatch.requests.invalid} (counter), tag {@code stage} (undecodable, invalid): requests
 *       dead-lettered;
 *   <li>{@code janela.dispatch.requests.parked} (counter), tag {@code waiting_for} (window, contact, catalog):
 *       requests that waited for state to catch up (catalog: a template request whose business account's catalog was
 *       still empty, before its first template sync); each at 0 from the start;
 *   <li>{@code janela.dispatch.messaging.limit.reach} (gauge), tag {@code portfolio_id} (configured portfolios only):
 *       the unique users the portfolio reached with business-initiated messages in the moving 24 h, as counted by the
 *       instance that holds the portfolio's partition (0 elsewhere);
 *   <li>{@code janela.dispatch.messaging.limit.users} (gauge), tag {@code portfolio_id}: the portfolio's messaging
 *       limit as Meta last stated it; NaN when there is none to count against (unlimited, or not stated);
 *   <li>{@code janela.dispatch.messaging.limit.held} (gauge), tag {@code portfolio_id} (configured portfolios only):
 *       business-initiated sends held at the portfolio's messaging limit ({@code when-reached: hold}) now, as the
 *       instance that holds the portfolio's partition has them (0 elsewhere);
 *   <li>{@code janela.dispatch.messaging.limit.holds} (counter), tag {@code outcome}: held; and how a send held or
 *       about to be leaves the hold: released (room returned: decided again), timed_out (held for {@code
 *       max-hold-time}: decided again), expired (its request expired: EXPIRED), full (not held: the portfolio's holds
 *       were full; REJECTED MESSAGING_LIMIT);
 *   <li>{@code janela.dispatch.messaging.limit.redecided} (counter), tags {@code outcome} and {@code reason}: how a
 *       send that left the hold ended when decided again ({@link #REDECIDED_OUTCOMES}), all at 0 from the start;
 *   <li>{@code janela.dispatch.account.events} (counter), tags {@code kind} (an {@code AccountEventKind} in lower case)
 *       and {@code outcome} (stored; not_read: a kind no rule reads, left out of the store; older: older by Meta's time
 *       than the one stored; deleted: a tombstone): account events the global store read, on every instance, again
 *       when it restores.
 * </ul>
 */
public final class DecisionMetrics {

    private final MeterRegistry registry;
    private final Map<String, PortfolioGauges> portfolios = new ConcurrentHashMap<>();
    /** {@code janela.dispatch.decisions} by outcome and reason, registered once: one is counted per request. */
    private final Map<Decided, Counter> decisions = new ConcurrentHashMap<>();

    private record Decided(String outcome, DispatchReason reason) {}

    /** What a request can wait for ({@code janela.dispatch.requests.parked}). */
    static final List<String> PARKED_FOR = List.of("window", "contact", "catalog");

    /**
     * How a send enters the hold (held; held_again: decided again without room and back in its place), leaves it, or
     * is not held ({@code janela.dispatch.messaging.limit.holds}): held + held_again = released + timed_out + expired +
     * what is held now.
     */
    static final List<String> HOLD_OUTCOMES = List.of("held", "held_again", "released", "timed_out", "expired", "full");

    /**
     * How a send that left the hold ends when decided again ({@code janela.dispatch.messaging.limit.redecided}), with
     * the reasons each can have: sent on (counted), sent inside a window that opened meanwhile (not counted), refused
     * by a rule, request expired, held again (no room when it came back), REJECTED MESSAGING_LIMIT (held for {@code
     * max-hold-time}).
     */
    static final Map<String, List<DispatchReason>> REDECIDED_OUTCOMES = Map.of(
            "sent", List.of(),
            "in_window", List.of(),
            "held_again", List.of(),
            "timed_out", List.of(DispatchReason.MESSAGING_LIMIT),
            "expired", List.of(DispatchReason.REQUEST_EXPIRED),
            "refused",
                    List.of(
                            DispatchReason.INVALID_REQUEST,
                            DispatchReason.TEMPLATE_NOT_FOUND,
                            DispatchReason.TEMPLATE_NOT_APPROVED,
                            DispatchReason.TEMPLATE_PARAMETERS_MISMATCH,
                            DispatchReason.MARKETING_OPTED_OUT,
                            DispatchReason.AUTHENTICATION_CODE_TOO_LONG,
                            DispatchReason.AUTHENTICATION_NEEDS_PHONE_NUMBER,
                            DispatchReason.ACCOUNT_RESTRICTED,
                            DispatchReason.MARKETING_USER_LIMIT));

    public DecisionMetrics(MeterRegistry registry) {
        this.registry = registry;
        HOLD_OUTCOMES.forEach(this::holdCounter);
        PARKED_FOR.forEach(this::parkedCounter);
        REDECIDED_OUTCOMES.forEach((outcome, reasons) -> {
            if (reasons.isEmpty()) {
                redecidedCounter(outcome, null);
            }
            reasons.forEach(reason -> redecidedCounter(outcome, reason));
        });
        // The refusals alerts and panels watch exist from the start, at 0.
        for (DispatchReason reason : List.of(
                DispatchReason.ACCOUNT_RESTRICTED,
                DispatchReason.MESSAGING_LIMIT,
                DispatchReason.MARKETING_USER_LIMIT,
                DispatchReason.MARKETING_OPTED_OUT)) {
            counter("rejected", reason);
        }
    }

    /** Registers a portfolio's gauges (idempotent): reach 0, limit NaN until known. */
    void portfolio(String portfolioId) {
        portfolios.computeIfAbsent(portfolioId, id -> {
            PortfolioGauges gauges = new PortfolioGauges();
            Gauge.builder("janela.dispatch.messaging.limit.reach", gauges.reach, AtomicLong::doubleValue)
                    .description("Unique users the business portfolio reached with business-initiated messages in"
                            + " the moving 24 h (this instance's count)")
                    .tag("portfolio_id", id)
                    .register(registry);
            Gauge.builder("janela.dispatch.messaging.limit.held", gauges.held, AtomicLong::doubleValue)
                    .description("Business-initiated sends held at the business portfolio's messaging limit (this"
                            + " instance's)")
                    .tag("portfolio_id", id)
                    .register(registry);
            Gauge.builder("janela.dispatch.messaging.limit.users", gauges, PortfolioGauges::limit)
                    .description("The business portfolio's messaging limit (unique users per moving 24 h); NaN when"
                            + " unlimited or not stated")
                    .tag("portfolio_id", id)
                    .register(registry);
            return gauges;
        });
    }

    void portfolioReach(String portfolioId, long users) {
        PortfolioGauges gauges = portfolios.get(portfolioId);
        if (gauges != null) {
            gauges.reach.set(users);
        }
    }

    void portfolioHeld(String portfolioId, long sends) {
        PortfolioGauges gauges = portfolios.get(portfolioId);
        if (gauges != null) {
            gauges.held.set(sends);
        }
    }

    void hold(String outcome) {
        holdCounter(outcome).increment();
    }

    private Counter holdCounter(String outcome) {
        return Counter.builder("janela.dispatch.messaging.limit.holds")
                .description("Business-initiated sends held at the messaging limit, and how held sends end")
                .tag("outcome", outcome)
                .register(registry);
    }

    /** A send that left the hold, decided again: how it ended ({@link #REDECIDED_OUTCOMES}). */
    void redecided(String outcome, DispatchReason reason) {
        redecidedCounter(outcome, reason).increment();
    }

    private Counter redecidedCounter(String outcome, DispatchReason reason) {
        return Counter.builder("janela.dispatch.messaging.limit.redecided")
                .description("Sends held at the messaging limit, decided again when they left the hold, by how they"
                        + " ended")
                .tag("outcome", outcome)
                .tag("reason", reason == null ? "none" : reason.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    void portfolioLimit(String portfolioId, PortfolioLimit limit) {
        PortfolioGauges gauges = portfolios.get(portfolioId);
        if (gauges != null) {
            gauges.limit.set(limit.limited() ? limit.users() : -1);
        }
    }

    private static final class PortfolioGauges {
        final AtomicLong reach = new AtomicLong();
        final AtomicLong held = new AtomicLong();
        final AtomicLong limit = new AtomicLong(-1);

        double limit() {
            long users = limit.get();
            return users < 0 ? Double.NaN : users;
        }
    }

    void decided(String outcome, DispatchReason reason) {
        decisions
                .computeIfAbsent(new Decided(outcome, reason), decided -> counter(outcome, reason))
                .increment();
    }

    private Counter counter(String outcome, DispatchReason reason) {
        return Counter.builder("janela.dispatch.decisions")
                .description("Outbound requests decided")
                .tag("outcome", outcome)
                .tag("reason", reason == null ? "none" : reason.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    void accountEvent(AccountEventKind kind, String outcome) {
        Counter.builder("janela.dispatch.account.events")
                .description("Account events read into the account state (restrictions and messaging limits)")
                .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    void invalid(String stage) {
        Counter.builder("janela.dispatch.requests.invalid")
                .description("Outbound requests dead-lettered")
                .tag("stage", stage)
                .register(registry)
                .increment();
    }

    void parked(String waitingFor) {
        parkedCounter(waitingFor).increment();
    }

    private Counter parkedCounter(String waitingFor) {
        return Counter.builder("janela.dispatch.requests.parked")
                .description("Outbound requests that waited for state to catch up")
                .tag("waiting_for", waitingFor)
                .register(registry);
    }
}
