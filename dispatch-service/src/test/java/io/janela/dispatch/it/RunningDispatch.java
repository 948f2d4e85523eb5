package io.janela.dispatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.DispatchResult;
import io.janela.contract.AccountEventKey;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.decision.DecisionTopology;
import io.janela.sandbox.control.LoggedRequest;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.janela.testsupport.kafka.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The dispatch-service running for one test class, as the end-to-end ITs use it: a broker of the class's own, the
 * {@link DispatchEnvironment} (sandbox, status relay, the service) started once before the first test, a reader of
 * whatsapp.dispatch-results opened for each test, and at the end a check that the service exposed the metrics its
 * alerts and dashboards use.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RunningDispatch dispatch = RunningDispatch.scope("dispatch-sending-it").exposing("janela_dispatch_results_total");
 * }</pre>
 */
final class RunningDispatch implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final KafkaBrokerExtension kafka = new KafkaBrokerExtension();
    private final String scope;
    private final Map<String, Object> overrides;
    private final Consumer<DispatchEnvironment> whenStarted;
    private final List<String> exposedMetrics;
    private final Duration timeout;
    private DispatchEnvironment environment;
    private TopicReader<String, DispatchResult> results;

    private RunningDispatch(
            String scope,
            Map<String, Object> overrides,
            Consumer<DispatchEnvironment> whenStarted,
            List<String> exposedMetrics,
            Duration timeout) {
        this.scope = scope;
        this.overrides = overrides;
        this.whenStarted = whenStarted;
        this.exposedMetrics = exposedMetrics;
        this.timeout = timeout;
    }

    /** The service under this application id and registry scope, with the environment's defaults. */
    static RunningDispatch scope(String scope) {
        return new RunningDispatch(scope, Map.of(), environment -> {}, List.of(), Duration.ofSeconds(60));
    }

    /** Service properties on top of the environment's defaults. */
    RunningDispatch with(Map<String, Object> properties) {
        return new RunningDispatch(scope, properties, whenStarted, exposedMetrics, timeout);
    }

    /** What to do once the service started, before the first test (state the tests share). */
    RunningDispatch whenStarted(Consumer<DispatchEnvironment> action) {
        return new RunningDispatch(scope, overrides, action, exposedMetrics, timeout);
    }

    /** Metric names (as Prometheus shows them) the service must expose after the class's tests. */
    RunningDispatch exposing(String... metrics) {
        return new RunningDispatch(scope, overrides, whenStarted, List.of(metrics), timeout);
    }

    /** How long a test waits for an outcome or a store. */
    RunningDispatch waiting(Duration wait) {
        return new RunningDispatch(scope, overrides, whenStarted, exposedMetrics, wait);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka.beforeAll(context);
        environment = new DispatchEnvironment(kafka.broker(), scope, 50, overrides);
        environment.startService();
        whenStarted.accept(environment);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (environment != null) {
                assertThat(environment.recordExposedMetrics()).contains(exposedMetrics.toArray(String[]::new));
            }
        } finally {
            if (environment != null) {
                environment.close();
                environment = null;
            }
            kafka.afterAll(context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        results = environment.results();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        results.close();
    }

    DispatchEnvironment environment() {
        return environment;
    }

    /** whatsapp.dispatch-results as read since the test began. */
    TopicReader<String, DispatchResult> results() {
        return results;
    }

    Duration timeout() {
        return timeout;
    }

    /** Waits for the OUTCOME of a request. */
    DispatchResult outcome(String requestId) {
        return Records.outcome(results, requestId, timeout);
    }

    /** Every call the sandbox (Meta) received for a request, accepted or not. */
    List<LoggedRequest> received(String requestId) {
        return environment.sandbox().requests().stream()
                .filter(request -> requestId.equals(request.callbackData()))
                .toList();
    }

    /** The calls the sandbox (Meta) accepted for a request. */
    List<LoggedRequest> accepted(String requestId) {
        return environment.sandbox().accepted().stream()
                .filter(request -> requestId.equals(request.callbackData()))
                .toList();
    }

    /** The value the running service's store (global or local) holds for the key, or null. */
    <V> V stored(String store, String key) {
        return environment.stored(store, key);
    }

    /** Waits until the running service's store holds the key: a test that follows proves a rule, not a race. */
    void awaitStored(String store, String key) {
        awaitStored(store, key, value -> true);
    }

    /** Waits until the running service's store holds a value for the key that matches. */
    void awaitStored(String store, String key, Predicate<Object> matching) {
        environment.awaitStored(store, key, matching, timeout);
    }

    /**
     * Publishes a MESSAGING_LIMIT statement of the fixture's account, at Meta's time now, as ingress keys it, and waits
     * until the service's account state holds it.
     */
    void announceMessagingLimit(String tier, Long users) {
        AccountEvent limit = AccountEvent.newBuilder()
                .setKind(AccountEventKind.MESSAGING_LIMIT)
                .setField("business_capability_update")
                .setWabaId(Fixtures.WABA_ID)
                .setMessagingLimitTier(tier)
                .setMessagingLimit(users)
                .setTimestamp(Instant.now())
                .setRawJson("{}")
                .build();
        String key = AccountEventKey.of(limit);
        environment.send(environment.topics.accountEvents().name(), key, limit);
        awaitStored(
                DecisionTopology.ACCOUNT_EVENTS_STORE,
                key,
                value -> tier.equals(((AccountEvent) value).getMessagingLimitTier()));
    }

    /** A contact (business-scoped user id) no other test uses. */
    static String contact() {
        return "US." + Math.abs(UUID.randomUUID().getMostSignificantBits());
    }

    /** A request id no other test uses. */
    static String requestId() {
        return "it-" + UUID.randomUUID();
    }
}
