package io.janela.window.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.CallEvent;
import io.janela.avro.ContactWindow;
import io.janela.avro.MessageEcho;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowOpener;
import io.janela.avro.WindowStatus;
import io.janela.contract.ContactKey;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testfixtures.MetaRecords;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The call and echo rules against a real broker (WHATSAPP.md §11.1, §11.2): a user's call opens the window (one
 * OPENED, read committed, {@code openedBy} CALL), a business call the user ACCEPTED refreshes it to the call's time,
 * and a reply sent from the WhatsApp Business app marks it replied without moving the expiry. The window query says
 * the same. The window is two hours long, so nothing here races the clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureWebTestClient
@UsesKafkaBroker
class CallsAndEchoesIT {

    static final String REGISTRY = "window-calls-echoes-it";
    static final Duration WINDOW = Duration.ofHours(2);
    static final Duration AWAIT = Duration.ofSeconds(45);
    static final String CONTACT = "US.13491208655302741918";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        String port = Integer.toString(freePort());
        registry.add("server.port", () -> port);
        registry.add("janela.window.query.advertised-port", () -> port);
        registry.add("spring.kafka.streams.state-dir", CallsAndEchoesIT::stateDirectory);
        registry.add("spring.kafka.properties.schema.registry.url", () -> "mock://" + REGISTRY);
        registry.add("janela.window.window-length", () -> WINDOW.toString());
        registry.add("janela.window.topics.partitions", () -> "2");
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
    void aUserCallOpensAnAcceptedBusinessCallRefreshesAndAnAppReplyAnswersWithoutMovingTheExpiry() {
        await().atMost(AWAIT)
                .until(() -> streams.getKafkaStreams() != null
                        && streams.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
        Instant calledAt = Instant.ofEpochSecond(Instant.now().getEpochSecond());
        Instant acceptedAt = calledAt.plusSeconds(2);
        Instant repliedAt = calledAt.plusSeconds(3);
        try (var events = reader(topics.windowEvents());
                var states = reader(topics.windowState())) {
            send(
                    topics.callEvents(),
                    MetaRecords.call("call-user-connect.json", "wacid.it-1", calledAt, CONTACT, null));

            WindowEvent opened = awaitValue(events, e -> e.getType() == WindowEventType.OPENED);
            assertThat(opened.getOpenedBy()).isEqualTo(WindowOpener.CALL);
            assertThat(opened.getWindowOpenedAt()).isEqualTo(calledAt);
            ContactWindow open = awaitValue(states, s -> s.getStatus() == WindowStatus.OPEN);
            assertThat(open.getExpiresAt()).isEqualTo(calledAt.plus(WINDOW));
            assertThat(open.getLastCallAt()).isEqualTo(calledAt);
            assertThat(open.getInboundMessages()).as("a call is no message").isZero();

            send(
                    topics.callEvents(),
                    MetaRecords.call("call-business-accepted.json", "wacid.it-2", acceptedAt, CONTACT, null));
            ContactWindow refreshed = awaitValue(states, s -> acceptedAt.equals(s.getLastCallAt()));
            assertThat(refreshed.getExpiresAt()).isEqualTo(acceptedAt.plus(WINDOW));
            assertThat(refreshed.getOpenedAt()).isEqualTo(calledAt);

            send(topics.messageEchoes(), MetaRecords.echo("echo-text.json", "wamid.it-echo", repliedAt, CONTACT, null));
            ContactWindow replied = awaitValue(states, s -> s.getFirstReplyAt() != null);
            assertThat(replied.getFirstReplyAt()).isEqualTo(repliedAt);
            assertThat(replied.getExpiresAt())
                    .as("an app reply moves no expiry")
                    .isEqualTo(acceptedAt.plus(WINDOW));
            assertThat(replied.getWaitingSince())
                    .as("nobody waits: calls start no wait")
                    .isNull();

            events.assertNoMoreRecords(Duration.ofSeconds(1));
            assertThat(events.received())
                    .as("one window: the refresh and the reply open nothing, and nothing is read twice")
                    .extracting(record -> record.value().getType())
                    .containsExactly(WindowEventType.OPENED);
        }
        http.get()
                .uri("/windows/{phoneNumberId}/{contactId}", MetaRecords.PHONE_NUMBER_ID, CONTACT)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.open")
                .isEqualTo(true)
                .jsonPath("$.openedAt")
                .isEqualTo(calledAt.toString())
                .jsonPath("$.expiresAt")
                .isEqualTo(acceptedAt.plus(WINDOW).toString())
                .jsonPath("$.businessReplied")
                .isEqualTo(true);
    }

    private <V> void send(TopicDescriptor<String, V> topic, V value) {
        Instant at = value instanceof CallEvent call ? call.getTimestamp() : ((MessageEcho) value).getTimestamp();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key(), value));
            producer.flush();
        }
    }

    private <V> TopicReader<String, V> reader(TopicDescriptor<String, V> topic) {
        return TopicReader.open(
                bootstrapServers(),
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    /** Reads on (committed records only) until a record of the contact matches, and returns its value. */
    private static <V> V awaitValue(TopicReader<String, V> reader, Predicate<V> match) {
        return await().atMost(AWAIT)
                .pollInterval(Duration.ofMillis(10))
                .until(
                        () -> {
                            try {
                                reader.awaitRecords(reader.received().size() + 1, Duration.ofMillis(500));
                            } catch (AssertionError nothingNewYet) {
                                // keep waiting
                            }
                            List<ConsumerRecord<String, V>> received = reader.received();
                            return received.stream()
                                    .filter(record -> key().equals(record.key()) && match.test(record.value()))
                                    .map(ConsumerRecord::value)
                                    .findFirst()
                                    .orElse(null);
                        },
                        Objects::nonNull);
    }

    private String bootstrapServers() {
        return environment.getProperty("spring.kafka.bootstrap-servers");
    }

    private static String key() {
        return new ContactKey(MetaRecords.PHONE_NUMBER_ID, CONTACT).format();
    }

    private static String stateDirectory() {
        try {
            return Files.createTempDirectory("window-calls-echoes-it").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
