package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.janela.avro.SendJournalEntry;
import io.janela.avro.SendKind;
import io.janela.avro.SendState;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.Fixtures;
import io.janela.serde.registry.SchemaRegistryException;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Defect 3 of issue 16, on a real broker: a previous owner of a send-commands partition that stalled past the session
 * timeout but not the transaction timeout still has a transaction open (its ATTEMPTING entries, and the offsets that
 * tie them to the group). The new owner must not read the journal before that transaction has ended, or it misses
 * ATTEMPTING entries committed afterwards and sends those requests a second time.
 */
class JournalLoadIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String COMMANDS = "journal-load-it.send-commands";
    private static final String JOURNAL = "journal-load-it.send-journal";
    private static final TopicPartition COMMANDS_0 = new TopicPartition(COMMANDS, 0);
    /** Longer than the loader would take without waiting; far shorter than a transaction timeout. */
    private static final Duration STILL_WAITING = Duration.ofMillis(1500);

    private static Serde<SendJournalEntry> values;
    private String group;
    private KafkaProducer<String, SendJournalEntry> previousOwner;

    @BeforeAll
    static void topics() throws Exception {
        Fixtures.businessNumber(); // trusts Avro's generated classes
        values = ValueSerdes.janela(Map.of("schema.registry.url", "mock://journal-load-it"))
                .forType(SendJournalEntry.class);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(COMMANDS, 1, (short) 1), new NewTopic(JOURNAL, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @BeforeEach
    void previousOwner(TestInfo test) {
        group = "journal-load-it-" + test.getTestMethod().orElseThrow().getName();
        previousOwner = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        group + "-previous-owner",
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                        60_000),
                new StringSerializer(),
                values.serializer());
        previousOwner.initTransactions();
    }

    @AfterEach
    void close() {
        previousOwner.close(Duration.ofSeconds(5));
    }

    @Test
    void theNewOwnerReadsTheJournalOnlyOnceThePreviousOwnersOpenTransactionHasEndedAndSeesItsAttempts() {
        String requestId = "stalled-before-flush";
        // The previous owner's transaction: its offsets are with the group coordinator, its ATTEMPTING entry still in
        // its producer's buffer (it stalled before the flush).
        previousOwner.beginTransaction();
        previousOwner.sendOffsetsToTransaction(
                Map.of(COMMANDS_0, new OffsetAndMetadata(0)), new ConsumerGroupMetadata(group));

        SendJournal journal = journal();
        AtomicBoolean journalRead = new AtomicBoolean();
        CompletableFuture<Void> assignment = CompletableFuture.runAsync(() -> {
            try (KafkaConsumer<String, SendJournalEntry> consumer = newOwnersConsumer()) {
                consumer.assign(List.of(COMMANDS_0));
                AssignmentListener.loadAfterPosition(consumer, List.of(COMMANDS_0), partitions -> {
                    journalRead.set(true);
                    journal.load(List.of(0), Duration.ofSeconds(30));
                });
            }
        });
        await("the journal is not read while the previous owner's transaction is open")
                .during(STILL_WAITING)
                .atMost(STILL_WAITING.plusSeconds(5))
                .untilFalse(journalRead);

        previousOwner.send(attempting(requestId));
        previousOwner.commitTransaction();

        await().atMost(Duration.ofSeconds(30)).until(assignment::isDone);
        assertThat(assignment).isCompleted();
        assertThat(journal.get(0, "PRIMARY:" + requestId))
                .as("the ATTEMPTING entry the previous owner committed: the request is in doubt, not sent again")
                .isNotNull()
                .extracting(SendJournalEntry::getState)
                .isEqualTo(SendState.ATTEMPTING);
    }

    @Test
    void theJournalIsReadPastAnOpenTransactionOnceItEnds() {
        String requestId = "written-not-committed";
        previousOwner.beginTransaction();
        previousOwner.send(attempting(requestId));
        previousOwner.flush(); // on the broker, above the last stable offset

        SendJournal journal = journal();
        CompletableFuture<Void> load =
                CompletableFuture.runAsync(() -> journal.load(List.of(0), Duration.ofSeconds(30)));
        await("the journal load waits for the open transaction")
                .during(STILL_WAITING)
                .atMost(STILL_WAITING.plusSeconds(5))
                .until(() -> !load.isDone());

        previousOwner.commitTransaction();

        await().atMost(Duration.ofSeconds(30)).until(load::isDone);
        assertThat(load).isCompleted();
        assertThat(journal.get(0, "PRIMARY:" + requestId))
                .isNotNull()
                .extracting(SendJournalEntry::getState)
                .isEqualTo(SendState.ATTEMPTING);
    }

    @Test
    void anAbortedTransactionsAttemptsAreNotLoaded() {
        previousOwner.beginTransaction();
        previousOwner.send(attempting("aborted"));
        previousOwner.flush();
        SendJournal journal = journal();
        CompletableFuture<Void> load =
                CompletableFuture.runAsync(() -> journal.load(List.of(0), Duration.ofSeconds(30)));

        previousOwner.abortTransaction();

        await().atMost(Duration.ofSeconds(30)).until(load::isDone);
        assertThat(load).isCompleted();
        assertThat(journal.get(0, "PRIMARY:aborted")).isNull();
    }

    @Test
    void anAttemptTheRegistryCannotServeYetIsWaitedForNeverSkipped() throws Exception {
        previousOwner.beginTransaction();
        previousOwner.send(attempting("during-outage"));
        previousOwner.commitTransaction();
        AtomicInteger unavailable = new AtomicInteger();
        // The registry answers 503 to the loader's first three reads of the entry, then serves it.
        AtomicInteger outage = new AtomicInteger(3);
        Deserializer<SendJournalEntry> flaky = (topic, data) -> {
            if (outage.getAndDecrement() > 0) {
                throw new SerializationException(
                        "schema of the entry", new SchemaRegistryException(503, 50301, "unavailable"));
            }
            return values.deserializer().deserialize(topic, data);
        };
        SendJournal journal =
                new SendJournal(JOURNAL, consumerConfig(), flaky, Duration.ofMillis(200), unavailable::incrementAndGet);

        journal.load(List.of(0), Duration.ofSeconds(30));

        assertThat(unavailable).hasValue(3);
        assertThat(journal.get(0, "PRIMARY:during-outage"))
                .isNotNull()
                .extracting(SendJournalEntry::getState)
                .isEqualTo(SendState.ATTEMPTING);
    }

    @Test
    void aJournalEntryThatIsNotAvroFailsTheLoadRatherThanBeingSkipped() {
        previousOwner.beginTransaction();
        previousOwner.send(attempting("corrupt"));
        previousOwner.commitTransaction();
        Deserializer<SendJournalEntry> corrupt = (topic, data) -> {
            throw new SerializationException("not Avro");
        };
        SendJournal journal = new SendJournal(JOURNAL, consumerConfig(), corrupt, Duration.ofMillis(200), () -> {});

        assertThatThrownBy(() -> journal.load(List.of(0), Duration.ofSeconds(30)))
                .isInstanceOf(RecordDeserializationException.class);
    }

    private SendJournal journal() {
        return new SendJournal(JOURNAL, consumerConfig(), values.deserializer(), Duration.ofSeconds(1), () -> {});
    }

    private KafkaConsumer<String, SendJournalEntry> newOwnersConsumer() {
        return new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), values.deserializer());
    }

    /** As the sender configures its consumer: read_committed, so that committed offsets are fetched as stable. */
    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
    }

    private static ProducerRecord<String, SendJournalEntry> attempting(String requestId) {
        SendJournalEntry entry = SendJournalEntry.newBuilder()
                .setRequestId(requestId)
                .setKind(SendKind.PRIMARY)
                .setState(SendState.ATTEMPTING)
                .setAttempt(1)
                .setAt(Instant.now())
                .setCommandOffset(0)
                .build();
        return new ProducerRecord<>(JOURNAL, 0, "PRIMARY:" + requestId, entry);
    }
}
