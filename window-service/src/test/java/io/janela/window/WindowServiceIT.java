package io.janela.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowStatus;
import io.janela.contract.ContactKey;
import io.janela.contract.DeadLetterHeaders;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import io.janela.testsupport.metrics.ExposedMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The window-service against a real broker: customer messages in, OPENED out; after a short configured window,
 * CLOSING_SOON and CLOSED out; the HTTP query answers; a second instance of the service serves a contact the first
 * owns (and the other way round); a restart keeps the windows, with or without its local state; an undecodable
 * record reaches the dead-letter topic.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureWebTestClient
@UsesKafkaBroker
class WindowServiceIT {

    static final String REGISTRY = "window-service-it";
    static final String PHONE_NUMBER_ID = "106540352242922";
    static final Duration WINDOW = Duration.ofSeconds(8);
    static final Duration AWAIT = Duration.ofSeconds(60);
    static final int PORT = WindowServiceSetup.freePort();

    @DynamicPropertySource
    static void instanceA(DynamicPropertyRegistry registry) {
        instanceProperties(PORT, "a").forEach((name, value) -> registry.add(name, () -> value));
    }

    /** What makes an instance of the service in this test: its ports and state directory, the rest shared. */
    static Map<String, String> instanceProperties(int port, String name) {
        Map<String, String> properties = WindowServiceSetup.instance(port, "window-it-" + name, REGISTRY, WINDOW, 4);
        properties.put("janela.window.closing-soon-lead-times", "3s");
        properties.put("janela.window.punctuation-interval", "200ms");
        return properties;
    }

    @Autowired
    WebTestClient http;

    @Autowired
    JanelaTopics topics;

    @Autowired
    StreamsBuilderFactoryBean streams;

    @Autowired
    Environment environment;

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(REGISTRY);
    }

    @Test
    void aCustomerMessageOpensAWindowThatWarnsAndClosesAfterTheConfiguredLength() {
        WindowServiceSetup.awaitRunning(streams, AWAIT);
        String contact = "US.1000000000000000001";
        Instant sentAt = Instant.now();
        try (var events = reader(topics.windowEvents());
                var states = reader(topics.windowState())) {
            customerWrites(contact, "wamid.it-1", sentAt);

            WindowEvent opened = awaitValue(events, contact, e -> e.getType() == WindowEventType.OPENED);
            assertThat(opened.getFirstContact()).isTrue();
            assertThat(awaitValue(states, contact, s -> s.getStatus() == WindowStatus.OPEN)
                            .getExpiresAt())
                    .isEqualTo(truncated(sentAt).plus(WINDOW));
            window(http, contact)
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.open")
                    .isEqualTo(true)
                    .jsonPath("$.freeEntryPoint.status")
                    .isEqualTo("NONE");

            WindowEvent soon = awaitValue(events, contact, e -> e.getType() == WindowEventType.CLOSING_SOON);
            WindowEvent closed = awaitValue(events, contact, e -> e.getType() == WindowEventType.CLOSED);
            assertThat(soon.getOccurredAt())
                    .isEqualTo(truncated(sentAt).plus(WINDOW).minusSeconds(3));
            assertThat(closed.getOccurredAt()).isEqualTo(truncated(sentAt).plus(WINDOW));
            assertThat(awaitValue(states, contact, s -> s.getStatus() == WindowStatus.CLOSED)
                            .getClosedAt())
                    .isEqualTo(closed.getOccurredAt());
        }
        window(http, contact)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.open")
                .isEqualTo(false)
                .jsonPath("$.closeReason")
                .isEqualTo("EXPIRED");
        window(http, "US.never-wrote").expectStatus().isNotFound();
        // The meters this exercised, for the deployment's check of the metrics its alerts and dashboards use.
        http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(scrape -> assertThat(ExposedMetrics.record(scrape)).contains("janela_window_events_total"));
    }

    @Test
    void aMessageThatComesAfterItsWindowWouldHaveEndedOpensNothingAndIsToldAsLate() {
        WindowServiceSetup.awaitRunning(streams, AWAIT);
        String contact = "US.4000000000000000001";
        // Written two windows ago: it arrives after an outage longer than a window.
        Instant sentAt = truncated(Instant.now()).minus(WINDOW.multipliedBy(2));
        try (var events = reader(topics.windowEvents())) {
            customerWrites(contact, "wamid.it-late", sentAt);

            WindowEvent late = awaitValue(events, contact, e -> e.getType() == WindowEventType.LATE);
            assertThat(late.getWindowOpenedAt()).isEqualTo(sentAt);
            assertThat(late.getWindowExpiresAt()).isEqualTo(sentAt.plus(WINDOW));
            assertThat(late.getOpeningMessageId()).isEqualTo("wamid.it-late");
            assertThat(late.getFirstContact()).isTrue();
            assertThat(events.received())
                    .filteredOn(record -> key(contact).equals(record.key()))
                    .singleElement()
                    .satisfies(record -> assertThat(record.timestamp())
                            .as("written at the time of writing, not dated by the message")
                            .isGreaterThan(sentAt.plus(WINDOW).toEpochMilli()));
        }
        window(http, contact).expectStatus().isNotFound();
    }

    @Test
    void aSecondInstanceServesAContactTheFirstOwnsAndTheOtherWayRound() {
        WindowServiceSetup.awaitRunning(streams, AWAIT);
        int portB = WindowServiceSetup.freePort();
        Map<String, String> propertiesB = instanceProperties(portB, "b");
        propertiesB.put("spring.kafka.bootstrap-servers", bootstrapServers());
        // Command-line arguments: they win over application.yml, as the test's properties do for instance A.
        String[] arguments = propertiesB.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue())
                .toArray(String[]::new);
        try (ConfigurableApplicationContext instanceB =
                new SpringApplicationBuilder(WindowApplication.class).run(arguments)) {
            KafkaStreams a = streams.getKafkaStreams();
            KafkaStreams b = instanceB.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
            await().atMost(AWAIT)
                    .until(() -> a.state() == KafkaStreams.State.RUNNING
                            && b.state() == KafkaStreams.State.RUNNING
                            && a.metadataForAllStreamsClients().size() == 2);
            List<String> contacts = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                contacts.add("US.20000000000000000" + i);
                customerWrites(contacts.get(i), "wamid.it-2-" + i, Instant.now());
            }
            HostInfo hostA = new HostInfo("localhost", PORT);
            HostInfo hostB = new HostInfo("localhost", portB);
            String ownedByA = ownedBy(a, contacts, hostA);
            String ownedByB = ownedBy(a, contacts, hostB);

            WebTestClient viaB = WebTestClient.bindToServer()
                    .baseUrl("http://localhost:" + portB)
                    .responseTimeout(Duration.ofSeconds(30))
                    .build();
            await().atMost(AWAIT)
                    .untilAsserted(() -> window(viaB, ownedByA)
                            .expectStatus()
                            .isOk()
                            .expectHeader()
                            .valueEquals("X-Janela-Served-By", "localhost:" + PORT)
                            .expectBody()
                            .jsonPath("$.contactId")
                            .isEqualTo(ownedByA));
            await().atMost(AWAIT)
                    .untilAsserted(() -> window(http, ownedByB)
                            .expectStatus()
                            .isOk()
                            .expectHeader()
                            .valueEquals("X-Janela-Served-By", "localhost:" + portB));
        }
    }

    @Test
    void aRestartedInstanceKeepsItsWindowsAndClosesThemOnTime() throws IOException {
        String contact = "US.3000000000000000001";
        opensThenClosesOnTimeAcrossARestart(contact, "wamid.it-3", () -> {});
        await().atMost(AWAIT)
                .untilAsserted(() -> window(http, contact)
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.open")
                        .isEqualTo(false));
    }

    @Test
    void anInstanceThatLostItsLocalStateRestoresTheWindowsAndStillClosesThemOnTime() throws IOException {
        // A new disk: the contacts come back from their changelog; the deadline index, which has none, is rebuilt
        // from them when the task starts.
        opensThenClosesOnTimeAcrossARestart(
                "US.3000000000000000002",
                "wamid.it-4",
                () -> deleteRecursively(Path.of(environment.getRequiredProperty("spring.kafka.streams.state-dir"))));
    }

    /** A customer message opens a window; the instance stops, {@code whileStopped} runs, it starts; CLOSED on time. */
    private void opensThenClosesOnTimeAcrossARestart(String contact, String messageId, WhileStopped whileStopped)
            throws IOException {
        WindowServiceSetup.awaitRunning(streams, AWAIT);
        Instant sentAt = Instant.now();
        try (var events = reader(topics.windowEvents())) {
            customerWrites(contact, messageId, sentAt);
            awaitValue(events, contact, e -> e.getType() == WindowEventType.OPENED);

            streams.stop();
            whileStopped.run();
            streams.start();
            WindowServiceSetup.awaitRunning(streams, AWAIT);

            WindowEvent closed = awaitValue(events, contact, e -> e.getType() == WindowEventType.CLOSED);
            assertThat(closed.getOccurredAt()).isEqualTo(truncated(sentAt).plus(WINDOW));
        }
    }

    private interface WhileStopped {
        void run() throws IOException;
    }

    @Test
    void anUndecodableRecordGoesToTheDeadLetterTopicWithItsCause() {
        WindowServiceSetup.awaitRunning(streams, AWAIT);
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        try (var producer =
                        new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
                var deadLetters = TopicReader.open(
                        bootstrapServers(),
                        topics.windowDeadLetter().name(),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            producer.send(new ProducerRecord<>(
                    topics.inboundMessages().name(), "106540352242922:US.x".getBytes(StandardCharsets.UTF_8), garbage));
            producer.flush();

            ConsumerRecord<byte[], byte[]> dead =
                    deadLetters.awaitRecords(1, AWAIT).getFirst();
            assertThat(dead.value()).isEqualTo(garbage);
            assertThat(new String(
                            dead.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                    .isEqualTo("UNDECODABLE");
            assertThat(new String(
                            dead.headers()
                                    .lastHeader(DeadLetterHeaders.SOURCE_TOPIC)
                                    .value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo(topics.inboundMessages().name());
        }
    }

    private static WebTestClient.ResponseSpec window(WebTestClient client, String contactId) {
        return client.get()
                .uri("/windows/{phoneNumberId}/{contactId}", PHONE_NUMBER_ID, contactId)
                .exchange();
    }

    private String ownedBy(KafkaStreams streams, List<String> contacts, HostInfo host) {
        return contacts.stream()
                .filter(contact -> {
                    KeyQueryMetadata owner = streams.queryMetadataForKey(
                            "window-contacts", key(contact), Serdes.String().serializer());
                    return host.equals(owner.activeHost());
                })
                .findFirst()
                .orElseThrow(() -> new AssertionError("no contact is owned by " + host));
    }

    private void customerWrites(String contactId, String messageId, Instant at) {
        InboundMessage message = InboundMessage.newBuilder()
                .setMessageId(messageId)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .setContactId(contactId)
                .setUserId(contactId)
                .setTimestamp(truncated(at))
                .setType(InboundMessageType.TEXT)
                .setText("Hello")
                .setRawJson("{}")
                .build();
        WindowServiceSetup.send(
                bootstrapServers(), topics.inboundMessages(), key(contactId), message, message.getTimestamp());
    }

    private <V> TopicReader<String, V> reader(TopicDescriptor<String, V> topic) {
        return WindowServiceSetup.reader(bootstrapServers(), topic);
    }

    /** Reads on until a record of this contact matches, and returns its value. */
    private static <V> V awaitValue(TopicReader<String, V> reader, String contactId, Predicate<V> match) {
        return WindowServiceSetup.awaitValue(reader, key(contactId), match, AWAIT);
    }

    private Map<String, Object> producerConfig() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    private String bootstrapServers() {
        return environment.getProperty("spring.kafka.bootstrap-servers");
    }

    private static String key(String contactId) {
        return new ContactKey(PHONE_NUMBER_ID, contactId).format();
    }

    /** Meta's timestamps are whole seconds. */
    private static Instant truncated(Instant at) {
        return Instant.ofEpochSecond(at.getEpochSecond());
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
