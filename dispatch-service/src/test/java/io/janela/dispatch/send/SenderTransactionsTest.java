package io.janela.dispatch.send;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.sendCommand;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.DispatchResult;
import io.janela.avro.Recipient;
import io.janela.avro.SendJournalEntry;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.graph.SendResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The invariants of the sender's transactions, on a producer that records what it is asked to do, in order. */
class SenderTransactionsTest {

    private static final TopicPartition P0 = new TopicPartition("whatsapp.dispatch.send-commands", 0);
    private static final String RESULTS = "whatsapp.dispatch-results";

    private final Recording producer = new Recording();
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final List<String> published = new ArrayList<>();
    private final DispatchProperties.Sender settings =
            Fixtures.senderSettings("test", 3, DispatchProperties.InDoubtResolution.RESEND);
    private final SendScheduler scheduler = new SendScheduler(
            settings,
            new RetryPolicy(
                    settings.initialBackoff(), settings.maxBackoff(), settings.downtimeBackoff(), new Random(1)));
    private SenderTransactions transactions;
    private long offset;

    @BeforeEach
    void hold() {
        Fixtures.businessNumber(); // trusts Avro's generated classes
        progress.put(P0, new PartitionProgress());
        transactions = new SenderTransactions(
                producer,
                () -> new ConsumerGroupMetadata("dispatch-service-sender"),
                new SendJournal("whatsapp.dispatch.send-journal", Map.of(), null, Duration.ofSeconds(1), () -> {}),
                RESULTS,
                Duration.ofMillis(100),
                progress,
                pending -> published.add(pending.requestId()),
                new SenderMetrics(new SimpleMeterRegistry(), () -> 0, () -> 0));
    }

    @Test
    void attemptsAreCommittedAtOnceWhateverTheCommitInterval() {
        Pending first = read("r-1", "alice");
        Pending second = read("r-2", "bob");
        List<SendScheduler.Start> starts = scheduler.due(NOW, number -> true, new ArrayList<>());

        transactions.commit(starts.subList(0, 1), List.of(), NOW, false);
        transactions.commit(starts.subList(1, 2), List.of(), NOW.plusMillis(1), false);

        assertThat(producer.events)
                .containsExactly(
                        "begin",
                        "journal PRIMARY:r-1 ATTEMPTING 1",
                        "offsets {0=0}",
                        "commit",
                        "begin",
                        "journal PRIMARY:r-2 ATTEMPTING 1",
                        "offsets {0=0}",
                        "commit");
        assertThat(first.state).isEqualTo(Pending.State.IN_FLIGHT);
        assertThat(second.state).isEqualTo(Pending.State.IN_FLIGHT);
    }

    @Test
    void aResultItsDoneEntryAndTheOffsetPastItsCommandCommitTogetherAndTheJournalEntryGoesOnceCommittedPast() {
        attemptedThenAccepted("r-1");
        transactions.commit(List.of(), List.of(), NOW.plusSeconds(1), false);
        transactions.commit(List.of(), List.of(), NOW.plusSeconds(2), true);

        assertThat(producer.events)
                .containsExactly(
                        "begin",
                        "result r-1 SENT",
                        "journal PRIMARY:r-1 DONE 1",
                        "tombstone PRIMARY:r-1",
                        "offsets {0=1}",
                        "commit",
                        "begin",
                        "offsets {0=1}",
                        "commit");
        assertThat(published).containsExactly("r-1");
    }

    @Test
    void resultsWaitAtMostTheCommitIntervalAndNothingIsWrittenWhenNothingChanged() {
        attemptedThenAccepted("r-1");

        transactions.commit(List.of(), List.of(), NOW.plusMillis(50), false);
        assertThat(producer.events).as("within the commit interval").isEmpty();

        transactions.commit(List.of(), List.of(), NOW.plusMillis(100), false);
        assertThat(producer.events).contains("result r-1 SENT");

        producer.events.clear();
        transactions.commit(List.of(), List.of(), NOW.plusSeconds(5), false);
        assertThat(producer.events).as("nothing to write, offsets unchanged").isEmpty();
    }

    @Test
    void everyTransactionCarriesTheGroupsMetadataEvenWithNoOffsetToMove() {
        progress.clear();

        transactions.commit(List.of(), List.of(), NOW, true);

        assertThat(producer.events).containsExactly("begin", "offsets {}", "commit");
        assertThat(producer.groups).containsExactly("dispatch-service-sender");
    }

    @Test
    void anUnreadableCommandIsAnsweredFailedAndMarkedDoneInTheTransactionThatPassesItsOffset() {
        progress.get(P0).read(0, UnreadableCommand.journalKey(0));
        transactions.unreadable(new SenderTransactions.Unreadable(P0, 0, unreadableAt(0)));

        transactions.commit(List.of(), List.of(), NOW, false);

        assertThat(producer.events)
                .containsExactly(
                        "begin",
                        "result r-9 FAILED",
                        "journal " + UnreadableCommand.journalKey(0) + " DONE 0",
                        "tombstone " + UnreadableCommand.journalKey(0),
                        "offsets {0=1}",
                        "commit");
    }

    /** A command read, its attempt committed at NOW, then Meta's acceptance published (not committed yet). */
    private void attemptedThenAccepted(String requestId) {
        read(requestId, "alice");
        SendScheduler.Start start =
                scheduler.due(NOW, number -> true, new ArrayList<>()).getFirst();
        transactions.commit(List.of(start), List.of(), NOW, false);
        producer.events.clear();
        transactions.publish(List.of(
                scheduler.answered(start.pending(), new SendResponse.Accepted("wamid.1", null, null, null), NOW)));
    }

    private Pending read(String requestId, String user) {
        Pending pending = new Pending(
                sendCommand(
                        text(requestId, "hi")
                                .setRecipient(new Recipient(null, "US." + user))
                                .build(),
                        null),
                P0,
                offset,
                PHONE_NUMBER_ID + ":US." + user);
        progress.get(P0).read(offset++, pending.journalKey);
        scheduler.add(pending);
        return pending;
    }

    private static UnreadableCommand unreadableAt(long offset) {
        return UnreadableCommand.of(
                CommandIntakeTest.failure(offset, new IllegalStateException("corrupt")), Instant.EPOCH);
    }

    /** A transactional producer that records what it is asked to do. */
    private static final class Recording extends MockProducer<String, Object> {

        final List<String> events = new ArrayList<>();
        final List<String> groups = new ArrayList<>();

        Recording() {
            super(true, null, new StringSerializer(), (topic, value) -> new byte[0]);
            initTransactions();
        }

        @Override
        public synchronized void beginTransaction() {
            super.beginTransaction();
            events.add("begin");
        }

        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, Object> record, Callback callback) {
            events.add(
                    switch (record.value()) {
                        case null -> "tombstone " + record.key();
                        case DispatchResult result -> "result " + result.getRequestId() + " " + result.getOutcome();
                        case SendJournalEntry entry ->
                            "journal " + record.key() + " " + entry.getState() + " " + entry.getAttempt();
                        default -> "other " + record.key();
                    });
            return super.send(record, callback);
        }

        @Override
        public synchronized void sendOffsetsToTransaction(
                Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
            Map<Integer, Long> byPartition = new TreeMap<>();
            offsets.forEach((partition, offset) -> byPartition.put(partition.partition(), offset.offset()));
            events.add("offsets " + byPartition);
            groups.add(group.groupId());
            super.sendOffsetsToTransaction(offsets, group);
        }

        @Override
        public synchronized void commitTransaction() {
            super.commitTransaction();
            events.add("commit");
        }
    }
}
