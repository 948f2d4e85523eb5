package io.janela.window.tracking;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.janela.window.WindowServiceSetup;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
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
        WindowServiceSetup.instance(WindowServiceSetup.freePort(), "window-calls-echoes-it", REGISTRY, WINDOW, 2)
                .forEach((name, value) -> registry.add(name, () -> value));
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
        WindowServiceSetup.awaitRunning(streams, AWAIT);
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
        WindowServiceSetup.send(bootstrapServers(), topic, key(), value, at);
    }

    private <V> TopicReader<String, V> reader(TopicDescriptor<String, V> topic) {
        return WindowServiceSetup.reader(bootstrapServers(), topic);
    }

    /** Reads on (committed records only) until a record of the contact matches, and returns its value. */
    private static <V> V awaitValue(TopicReader<String, V> reader, Predicate<V> match) {
        return WindowServiceSetup.awaitValue(reader, key(), match, AWAIT);
    }

    private String bootstrapServers() {
        return environment.getProperty("spring.kafka.bootstrap-servers");
    }

    private static String key() {
        return new ContactKey(MetaRecords.PHONE_NUMBER_ID, CONTACT).format();
    }
}
