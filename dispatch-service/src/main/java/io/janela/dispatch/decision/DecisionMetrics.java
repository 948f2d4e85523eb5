package io.janela.dispatch.decision;

import io.janela.avro.DispatchReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;

/**
 * The decision topology's meters:
 *
 * <ul>
 *   <li>{@code janela.dispatch.decisions} (counter), tags {@code outcome} (send, rejected, expired, duplicate) and
 *       {@code reason} (a {@code DispatchReason} in lower case, or none): one per decided request;
 *   <li>{@code janela.dispatch.requests.invalid} (counter), tag {@code stage} (undecodable, invalid): requests
 *       dead-lettered;
 *   <li>{@code janela.dispatch.requests.parked} (counter), tag {@code waiting_for} (window, contact): requests that
 *       waited for state to catch up.
 * </ul>
 */
public final class DecisionMetrics {

    private final MeterRegistry registry;

    public DecisionMetrics(MeterRegistry registry) {
        this.registry = registry;
        // The refusals alerts and panels watch exist from the start, at 0.
        for (DispatchReason reason : List.of(
                DispatchReason.ACCOUNT_RESTRICTED,
                DispatchReason.MESSAGING_LIMIT,
                DispatchReason.MARKETING_USER_LIMIT,
                DispatchReason.MARKETING_OPTED_OUT)) {
            counter("rejected", reason);
        }
    }

    void decided(String outcome, DispatchReason reason) {
        counter(outcome, reason).increment();
    }

    private Counter counter(String outcome, DispatchReason reason) {
        return Counter.builder("janela.dispatch.decisions")
                .description("Outbound requests decided")
                .tag("outcome", outcome)
                .tag("reason", reason == null ? "none" : reason.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    void invalid(String stage) {
        Counter.builder("janela.dispatch.requests.invalid")
                .description("Outbound requests dead-lettered")
                .tag("stage", stage)
                .register(registry)
                .increment();
    }

    void parked(String waitingFor) {
        Counter.builder("janela.dispatch.requests.parked")
                .description("Outbound requests that waited for state to catch up")
                .tag("waiting_for", waitingFor)
                .register(registry)
                .increment();
    }
}
