package io.janela.window.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.avro.WindowStatus;
import io.janela.contract.JanelaTopics;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testfixtures.MetaRecords;
import io.janela.testsupport.kafka.RetentionCheck;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import io.janela.window.WindowServiceSetup;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A window event the service computes from a message Meta dated long ago stays readable for the whole retention of
 * whatsapp.window-events from the moment it is written. The broker keeps records 10 minutes by default, checks
 * retention every 200 ms and rolls segments after 100 ms; a customer message Meta dated 23 hours ago (a webhook it
 * retried for most of a day; Meta's window is 24 hours, so it still opens one) is written as ingress writes it, with
 * the ingest time as record timestamp. Were the OPENED dated with Meta's time, as the service wrote it before,
 * retention would delete it within a second of its commit, before any reader came.
 *
 * <p>The compacted outputs keep the event time as record timestamp (window-state, contact-aliases): retention by time
 * does not apply to them, which the same run shows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@UsesKafkaBroker(
        brokerProperties = {"log.retention.ms=600000", "log.retention.check.interval.ms=200", "log.roll.ms=100"})
class OldDatedWindowEventRetentionIT {

    static final String REGISTRY = "window-old-dated-retention-it";
    static final Duration RETENTION = Duration.ofMinutes(10);
    static final Duration AWAIT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // One partition: both contacts' records share it, so the second one's rolls the first one's segment.
        WindowServiceSetup.instance(
                        WindowServiceSetup.freePort(), "window-old-dated-retention-it", REGISTRY, MetaRecords.WINDOW, 1)
                .forEach((name, value) -> registry.add(name, () -> value));
    }

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
    void anOpenedComputedFromAMessageMetaDatedADayAgoIsStillReadAfterRetentionRan() throws Exception {
        WindowServiceSetup.awaitRunning(streams, AWAIT);
        Instant metaTime = Instant.now().minus(Duration.ofHours(23)).truncatedTo(ChronoUnit.SECONDS);
        long writtenFrom = System.currentTimeMillis();
        sendAsIngress(MetaRecords.ANA, "wamid.OLD-DATED-A-DAY", metaTime);
        // window-state is written in the OPENED's transaction: once it is read (committed), so is the OPENED.
        awaitOpenState(MetaRecords.ANA);

        // Retention has run at least once since the OPENED was committed...
        RetentionCheck.awaitRun(bootstrapServers(), RETENTION, AWAIT);
        // ...and again after the next contact's records rolled its segment.
        sendAsIngress(MetaRecords.BEN, "wamid.DATED-NOW", Instant.now().truncatedTo(ChronoUnit.SECONDS));
        awaitOpenState(MetaRecords.BEN);
        RetentionCheck.awaitRun(bootstrapServers(), RETENTION, AWAIT);

        try (TopicReader<String, WindowEvent> events =
                WindowServiceSetup.reader(bootstrapServers(), topics.windowEvents())) {
            // ANA's OPENED was written before BEN's message was sent: once BEN's OPENED is read (one partition), so is
            // ANA's, unless retention deleted it.
            WindowServiceSetup.awaitValue(
                    events, MetaRecords.BEN.key(), event -> event.getType() == WindowEventType.OPENED, AWAIT);
            List<ConsumerRecord<String, WindowEvent>> anas = events.received().stream()
                    .filter(record -> MetaRecords.ANA.key().equals(record.key()))
                    .toList();
            assertThat(anas)
                    .as("ANA's events (a window opened 23 h ago is also closing soon)")
                    .extracting(record -> record.value().getType())
                    .contains(WindowEventType.OPENED);
            ConsumerRecord<String, WindowEvent> old = anas.getFirst();
            assertThat(old.value().getType()).isEqualTo(WindowEventType.OPENED);
            assertThat(old.value().getOccurredAt())
                    .as("Meta's time, in the value")
                    .isEqualTo(metaTime);
            assertThat(anas)
                    .extracting(ConsumerRecord::timestamp)
                    .as("the time each was written")
                    .allMatch(timestamp -> timestamp >= writtenFrom);
        }
        // Compacted: kept whatever their record timestamp (the event time).
        try (TopicReader<String, ContactWindow> states =
                WindowServiceSetup.reader(bootstrapServers(), topics.windowState())) {
            assertThat(WindowServiceSetup.awaitValue(states, MetaRecords.ANA.key(), state -> true, AWAIT)
                            .getOpenedAt())
                    .isEqualTo(metaTime);
            assertThat(states.received())
                    .filteredOn(record -> MetaRecords.ANA.key().equals(record.key()))
                    .extracting(ConsumerRecord::timestamp)
                    .as("the event time")
                    .containsOnly(metaTime.toEpochMilli());
        }
        try (TopicReader<String, ContactAlias> aliases =
                WindowServiceSetup.reader(bootstrapServers(), topics.contactAliases())) {
            assertThat(WindowServiceSetup.awaitValue(aliases, MetaRecords.ANA.phoneKey(), alias -> true, AWAIT)
                            .getContactId())
                    .isEqualTo(MetaRecords.ANA.userId());
        }
    }

    /** As ingress writes it: Meta's time in the value, the ingest time as record timestamp. */
    private void sendAsIngress(MetaRecords.Contact contact, String messageId, Instant metaTime) {
        WindowServiceSetup.send(
                bootstrapServers(),
                topics.inboundMessages(),
                contact.key(),
                MetaRecords.inbound("text-message.json", messageId, metaTime, contact.userId(), contact.waId()),
                Instant.now());
    }

    private void awaitOpenState(MetaRecords.Contact contact) {
        try (TopicReader<String, ContactWindow> states =
                WindowServiceSetup.reader(bootstrapServers(), topics.windowState())) {
            WindowServiceSetup.awaitValue(
                    states, contact.key(), state -> state.getStatus() == WindowStatus.OPEN, AWAIT);
        }
    }

    private String bootstrapServers() {
        return environment.getRequiredProperty("spring.kafka.bootstrap-servers");
    }
}
