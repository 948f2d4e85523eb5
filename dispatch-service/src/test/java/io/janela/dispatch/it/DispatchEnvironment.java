package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.AccountEvent;
import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.OutboundRequest;
import io.janela.avro.ResultKind;
import io.janela.avro.Template;
import io.janela.avro.UserPreference;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.DispatchApplication;
import io.janela.dispatch.Fixtures;
import io.janela.sandbox.CloudApiSandbox;
import io.janela.sandbox.SandboxControl;
import io.janela.sandbox.control.LoggedRequest;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testsupport.kafka.KafkaBroker;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.metrics.ExposedMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Everything a dispatch integration test runs against, in this JVM: a real broker (given), the Cloud API sandbox
 * (Meta), a relay of the sandbox's status webhooks onto whatsapp.message-statuses (ingress), and the dispatch-service
 * itself, which a test can stop and start again. The window-service's output (window state) is produced by the test.
 */
final class DispatchEnvironment implements AutoCloseable {

    static final String TOKEN = "it-access-token";
    static final String APP_SECRET = "it-app-secret";

    private final KafkaBroker broker;
    private final String scope;
    private final Path stateDir;
    private final Map<String, Object> properties = new LinkedHashMap<>();
    final JanelaTopics topics;
    final StatusWebhookRelay relay;
    final CloudApiSandbox sandbox;
    private final KafkaProducer<String, Object> producer;
    private ConfigurableApplicationContext app;

    /**
     * @param throughputLimit the business number's limit in the service (the sandbox enforces none unless its
     *     {@code phone-numbers[0].throughput-limit} is set)
     * @param overrides service properties on top of the test defaults
     */
    DispatchEnvironment(KafkaBroker broker, String scope, int throughputLimit, Map<String, Object> overrides) {
        this(broker, scope, throughputLimit, overrides, Map.of());
    }

    /**
     * @param throughputLimit the business number's limit in the service (the sandbox enforces none unless its
     *     {@code phone-numbers[0].throughput-limit} is set)
     * @param overrides service properties on top of the test defaults
     * @param sandboxOverrides sandbox properties ({@code janela.sandbox.*}) on top of the test defaults
     */
    DispatchEnvironment(
            KafkaBroker broker,
            String scope,
            int throughputLimit,
            Map<String, Object> overrides,
            Map<String, Object> sandboxOverrides) {
        Fixtures.businessNumber(); // trusts Avro's generated classes
        this.broker = broker;
        this.scope = scope;
        try {
            this.stateDir = Files.createTempDirectory("dispatch-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.topics = JanelaTopics.create(
                TopicNames.defaults(), ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + scope)));
        this.relay = new StatusWebhookRelay(broker.bootstrapServers(), topics.messageStatuses(), APP_SECRET);
        Map<String, Object> sandboxProperties = new LinkedHashMap<>(Map.of(
                "server.port",
                0,
                "janela.sandbox.phone-numbers[0].id",
                PHONE_NUMBER_ID,
                "janela.sandbox.phone-numbers[0].waba-id",
                WABA_ID,
                "janela.sandbox.phone-numbers[0].display-phone-number",
                "15550783881",
                "janela.sandbox.phone-numbers[0].access-token",
                TOKEN,
                "janela.sandbox.webhook-url",
                relay.url(),
                "janela.sandbox.app-secret",
                APP_SECRET,
                "janela.sandbox.status-delay",
                "50ms",
                "janela.sandbox.templates",
                "classpath:meta/sandbox-templates.json"));
        sandboxProperties.putAll(sandboxOverrides);
        this.sandbox = CloudApiSandbox.start(sandboxProperties);
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                (topic, value) -> serialize(topic, value));
        properties.put("server.port", 0);
        properties.put("spring.kafka.bootstrap-servers", broker.bootstrapServers());
        properties.put("spring.kafka.properties.schema.registry.url", "mock://" + scope);
        properties.put("spring.kafka.streams.application-id", scope);
        properties.put("spring.kafka.streams.state-dir", stateDir.toString());
        properties.put("janela.dispatch.business-numbers[0].phone-number-id", PHONE_NUMBER_ID);
        properties.put("janela.dispatch.business-numbers[0].waba-id", WABA_ID);
        properties.put("janela.dispatch.business-numbers[0].access-token", TOKEN);
        properties.put("janela.dispatch.business-numbers[0].throughput-limit", throughputLimit);
        properties.put("janela.dispatch.graph-api.base-url", sandbox.baseUrl().toString());
        properties.put("janela.dispatch.graph-api.response-timeout", "5s");
        properties.put("janela.dispatch.partitions", 3);
        properties.put("janela.dispatch.decision.window-grace", "2s");
        properties.put("janela.dispatch.decision.park-check-interval", "100ms");
        properties.put("janela.dispatch.sender.instance-id", scope + "-1");
        properties.put("janela.dispatch.sender.initial-backoff", "200ms");
        properties.put("janela.dispatch.sender.max-backoff", "1s");
        properties.put("janela.dispatch.sender.in-doubt-timeout", "5s");
        // Evidence for a resend: a status of the number at least a second (Meta's times are whole seconds) later.
        properties.put("janela.dispatch.sender.in-doubt-evidence-margin", "1s");
        properties.put("janela.dispatch.sender.status-lookback", "30s");
        properties.put("janela.dispatch.sender.shutdown-timeout", "1s");
        properties.put("janela.dispatch.template-sync.initial-delay", "200ms");
        // The sandbox answers STANDARD for its numbers: asked at start, the limit under test would become
        // throughput-levels.standard. The tests of that question turn it on.
        properties.put("janela.dispatch.sender.throughput-levels.ask-at-start", false);
        properties.putAll(overrides);
    }

    /** Starts the service (again), with these properties on top of the environment's. */
    void startService(Map<String, Object> extra) {
        Map<String, Object> all = new LinkedHashMap<>(properties);
        all.putAll(extra);
        String[] args = all.entrySet().stream()
                .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                .toArray(String[]::new);
        app = new SpringApplicationBuilder(DispatchApplication.class)
                .initializers(DispatchEnvironment::ownNettyResources)
                .run(args);
    }

    /**
     * The service stops and starts again in this JVM next to the sandbox: it gets Reactor Netty resources of its own,
     * as Spring Boot's tests do, so that closing it does not dispose of the event loops others use.
     */
    private static void ownNettyResources(ConfigurableApplicationContext context) {
        context.getBeanFactory().addBeanPostProcessor(new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof ReactorResourceFactory factory) {
                    factory.setUseGlobalResources(false);
                }
                return bean;
            }
        });
    }

    void startService() {
        startService(Map.of());
    }

    /** The service's properties (the environment's and the test's overrides), for a service run in a child JVM. */
    Map<String, Object> serviceProperties() {
        return new LinkedHashMap<>(properties);
    }

    void stopService() {
        if (app != null) {
            app.close();
            app = null;
        }
    }

    ConfigurableApplicationContext app() {
        return app;
    }

    /** The service's Kafka Streams application id (the scope). */
    String applicationId() {
        return scope;
    }

    /** The service's Kafka Streams state directory, kept across its restarts. */
    Path stateDir() {
        return stateDir;
    }

    /**
     * The value the running service's store (global or local) holds for the key, or null. A task store cannot be read
     * while a rebalance reassigns it (the stream thread is PARTITIONS_ASSIGNED, not RUNNING), which happens whenever the
     * group rebalances mid-test on a loaded machine; the read waits that out instead of failing the test.
     */
    <V> V stored(String store, String key) {
        AtomicReference<V> value = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .ignoreException(InvalidStateStoreException.class)
                .untilAsserted(() -> value.set(read(store, key)));
        return value.get();
    }

    private <V> V read(String store, String key) {
        KafkaStreams streams = app.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        return streams.store(
                        StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()))
                .get(key);
    }

    /** Waits until the running service's store (global or local) holds a value for the key that matches. */
    void awaitStored(String store, String key, Predicate<Object> matching, Duration timeout) {
        await().atMost(timeout).ignoreExceptions().until(() -> {
            Object value = stored(store, key);
            return value != null && matching.test(value);
        });
    }

    /**
     * Records the metric names the running service exposes (after a test exercised it), for the deployment's check of
     * the metrics its alerts and dashboards use.
     */
    Set<String> recordExposedMetrics() {
        String port = app.getEnvironment().getProperty("local.server.port");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> scrape = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return ExposedMetrics.record(scrape.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    SandboxControl sandbox() {
        return sandbox.control();
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** What the window-service would publish for a contact whose last message came at {@code lastInboundAt}. */
    void window(String contactId, Instant lastInboundAt) {
        windowState(contactId, lastInboundAt);
        sandbox().inbound(PHONE_NUMBER_ID, null, contactId, lastInboundAt);
    }

    /**
     * Only the window state dispatch reads, not the sandbox: Janela believes the window open, Meta does not (a 131047
     * is coming).
     */
    void windowState(String contactId, Instant lastInboundAt) {
        ContactWindow window = Fixtures.openWindow(lastInboundAt)
                .setContactId(contactId)
                .setUserId(contactId)
                .build();
        send(topics.windowState().name(), PHONE_NUMBER_ID + ":" + contactId, window);
    }

    void request(String key, OutboundRequest request) {
        send(topics.outboundRequests().name(), key, request);
    }

    /** A request as a company system that sets its own record timestamp writes it (a backlog replayed, say). */
    void request(String key, OutboundRequest request, Instant recordTimestamp) {
        send(topics.outboundRequests().name(), key, request, recordTimestamp.toEpochMilli());
    }

    void send(String topic, String key, Object value) {
        send(topic, key, value, null);
    }

    private void send(String topic, String key, Object value, Long timestamp) {
        try {
            producer.send(new ProducerRecord<>(topic, null, timestamp, key, value))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + topic, e);
        }
    }

    TopicReader<String, DispatchResult> results() {
        return reader(topics.dispatchResults());
    }

    TopicReader<String, OutboundRequest> requests() {
        return reader(topics.outboundRequests());
    }

    TopicReader<String, Template> catalog() {
        return reader(topics.templates());
    }

    private <V> TopicReader<String, V> reader(TopicDescriptor<String, V> topic) {
        return TopicReader.open(
                broker.bootstrapServers(),
                topic.name(),
                new StringDeserializer(),
                topic.valueSerde().deserializer());
    }

    TopicReader<byte[], byte[]> deadLetters() {
        return TopicReader.open(
                broker.bootstrapServers(),
                topics.outboundRequestsDeadLetter().name(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    /**
     * Waits for these requests' outcomes and checks what a crash must not break: every request SENT with exactly one
     * OUTCOME (read committed; nothing more within {@code quiet}), and the sandbox received each request exactly once,
     * as the message its outcome names.
     *
     * @param prefix the request ids' common start (the sandbox's requests of other tests are left out)
     * @return the outcomes, one per request, for further checks
     */
    List<DispatchResult> assertSentExactlyOnce(
            List<String> requestIds, String prefix, Duration timeout, Duration quiet) {
        try (TopicReader<String, DispatchResult> results = results()) {
            List<DispatchResult> outcomes = Records.await(
                    results,
                    result -> result.getKind() == ResultKind.OUTCOME && requestIds.contains(result.getRequestId()),
                    requestIds.size(),
                    timeout);
            assertThat(outcomes).extracting(DispatchResult::getRequestId).doesNotHaveDuplicates();
            assertThat(outcomes).extracting(DispatchResult::getOutcome).containsOnly(DispatchOutcome.SENT);
            assertThat(Records.settle(
                            results,
                            result -> result.getKind() == ResultKind.OUTCOME
                                    && requestIds.contains(result.getRequestId()),
                            quiet))
                    .as("exactly one outcome per request")
                    .hasSize(requestIds.size());
            Map<String, String> wamids =
                    outcomes.stream().collect(Collectors.toMap(DispatchResult::getRequestId, DispatchResult::getWamid));
            Map<String, List<LoggedRequest>> received =
                    accepted(prefix).stream().collect(Collectors.groupingBy(LoggedRequest::callbackData));
            assertThat(received).as("Meta received every request").containsOnlyKeys(requestIds);
            received.forEach((requestId, sends) -> {
                assertThat(sends).as("Meta received %s once", requestId).hasSize(1);
                assertThat(sends.getFirst().wamid()).isEqualTo(wamids.get(requestId));
            });
            return outcomes;
        }
    }

    /** The sends the sandbox accepted whose request id starts with {@code prefix}. */
    List<LoggedRequest> accepted(String prefix) {
        return sandbox().accepted().stream()
                .filter(request ->
                        request.callbackData() != null && request.callbackData().startsWith(prefix))
                .toList();
    }

    /** Waits until the template catalog holds these templates of the sandbox (the sync ran). */
    void awaitCatalog(List<String> names, Duration timeout) {
        try (TopicReader<String, Template> catalog = catalog()) {
            Records.await(catalog, record -> names.contains(record.getName()), names.size(), timeout);
        }
    }

    @SuppressWarnings("unchecked")
    private byte[] serialize(String topic, Object value) {
        if (value instanceof OutboundRequest request) {
            return topics.outboundRequests().valueSerde().serializer().serialize(topic, request);
        }
        if (value instanceof ContactWindow window) {
            return topics.windowState().valueSerde().serializer().serialize(topic, window);
        }
        if (value instanceof Template template) {
            return topics.templates().valueSerde().serializer().serialize(topic, template);
        }
        if (value instanceof UserPreference preference) {
            return topics.userPreferences().valueSerde().serializer().serialize(topic, preference);
        }
        if (value instanceof AccountEvent event) {
            return topics.accountEvents().valueSerde().serializer().serialize(topic, event);
        }
        if (value instanceof ContactAlias alias) {
            return topics.contactAliases().valueSerde().serializer().serialize(topic, alias);
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        throw new IllegalArgumentException("cannot produce " + value.getClass());
    }

    @Override
    public void close() {
        stopService();
        producer.close();
        sandbox.close();
        relay.close();
        MockSchemaRegistry.dropScope(scope);
    }
}
