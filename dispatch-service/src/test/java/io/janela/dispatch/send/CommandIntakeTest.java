package io.janela.dispatch.send;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.fallbackPlan;
import static io.janela.dispatch.Fixtures.sendCommand;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.SendCommand;
import io.janela.avro.SendJournalEntry;
import io.janela.avro.SendKind;
import io.janela.avro.SendState;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.serde.RegistryRetry;
import io.janela.serde.registry.SchemaRegistryException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the journal makes of each send command read again, and what becomes of a command that cannot be read. */
class CommandIntakeTest {

    private static final String TOPIC = "whatsapp.dispatch.send-commands";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);

    private final DispatchProperties.Sender settings =
            Fixtures.senderSettings("test", 3, DispatchProperties.InDoubtResolution.RESEND);
    private final SendScheduler scheduler = new SendScheduler(
            settings,
            new RetryPolicy(
                    settings.initialBackoff(), settings.maxBackoff(), settings.downtimeBackoff(), new Random(1)));
    private final SendJournal journal =
            new SendJournal("whatsapp.dispatch.send-journal", Map.of(), null, Duration.ofSeconds(1), () -> {});
    private final Map<TopicPartition, PartitionProgress> progress = new HashMap<>();
    private final FlowControl flow = new FlowControl(1_000);
    private final List<Pending> inDoubt = new ArrayList<>();
    private final List<SenderTransactions.Unreadable> answered = new ArrayList<>();
    private final MockConsumer<String, SendCommand> consumer = new MockConsumer<>("earliest");
    private CommandIntake intake;

    @BeforeEach
    void hold() {
        Fixtures.businessNumber(); // trusts Avro's generated classes
        progress.put(P0, new PartitionProgress());
        consumer.assign(List.of(P0));
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        intake = new CommandIntake(
                journal,
                scheduler,
                progress,
                flow,
                new RegistryRetry(Duration.ofSeconds(30)),
                new SenderMetrics(new SimpleMeterRegistry(), () -> 0, () -> 0),
                Clock.fixed(NOW, ZoneOffset.UTC),
                inDoubt::add);
    }

    @Test
    void aCommandWithoutAJournalEntryIsQueuedToBeSent() {
        intake.read(record(0, command("r-1")));

        assertThat(scheduler.held()).isEqualTo(1);
        assertThat(scheduler.inDoubt()).isZero();
        assertThat(progress.get(P0).committable()).as("open").isZero();
    }

    @Test
    void aCommandTheJournalHasDoneIsPassedNotSentAgain() {
        journal.apply(0, "PRIMARY:r-1", entry("r-1", SendState.DONE, false, null));

        intake.read(record(0, command("r-1")));

        assertThat(scheduler.held()).isZero();
        assertThat(progress.get(P0).committable())
                .as("its offset can be committed past")
                .isEqualTo(1);
    }

    @Test
    void aCommandTheJournalHasAttemptingIsInDoubtWithItsFallbackStateAsJournaled() {
        journal.apply(0, "PRIMARY:r-1", entry("r-1", SendState.ATTEMPTING, true, 131047));

        intake.read(record(0, command("r-1")));

        assertThat(scheduler.inDoubt()).isEqualTo(1);
        assertThat(inDoubt).singleElement().satisfies(pending -> {
            assertThat(pending.fallbackActive).as("the fallback was in flight").isTrue();
            assertThat(pending.refusedWith).isEqualTo(131047);
            assertThat(pending.refusedAt).isEqualTo(NOW.minusSeconds(3));
            assertThat(pending.attempts).isEqualTo(2);
        });
        assertThat(progress.get(P0).committable()).as("still open").isZero();
    }

    @Test
    void aCommandTheRegistryCouldNotResolveIsReadAgainFromTheSameOffsetLater() {
        consumer.seek(P0, 8);

        boolean passed = intake.unreadable(
                failure(7, new SchemaRegistryException(503, 50301, "unavailable")), consumer, answered::add);

        assertThat(passed).isFalse();
        assertThat(consumer.position(P0)).isEqualTo(7);
        assertThat(flow.waitingForRegistry()).isTrue();
        assertThat(answered).isEmpty();
        assertThat(progress.get(P0).committable())
                .as("nothing read: the offset cannot pass it")
                .isEqualTo(-1);
    }

    @Test
    void aCorruptCommandIsAnsweredFailedOnceAndPassed() {
        boolean passed = intake.unreadable(failure(7, new IllegalStateException("corrupt")), consumer, answered::add);

        assertThat(passed).isTrue();
        assertThat(consumer.position(P0)).isEqualTo(8);
        assertThat(answered).singleElement().satisfies(command -> {
            assertThat(command.offset()).isEqualTo(7);
            assertThat(command.command().requestId()).isEqualTo("r-9");
        });
        assertThat(progress.get(P0).committable())
                .as("open until its answer is committed")
                .isEqualTo(7);
    }

    @Test
    void aCorruptCommandAnsweredBeforeARestartIsNotAnsweredAgain() {
        journal.apply(0, UnreadableCommand.journalKey(7), entry("", SendState.DONE, false, null));

        boolean passed = intake.unreadable(failure(7, new IllegalStateException("corrupt")), consumer, answered::add);

        assertThat(passed).isTrue();
        assertThat(answered).isEmpty();
        assertThat(progress.get(P0).committable()).isEqualTo(8);
    }

    private static SendCommand command(String requestId) {
        return sendCommand(text(requestId, "hi").build(), fallbackPlan());
    }

    private static ConsumerRecord<String, SendCommand> record(long offset, SendCommand command) {
        return new ConsumerRecord<>(TOPIC, 0, offset, "k", command);
    }

    private static SendJournalEntry entry(String requestId, SendState state, boolean fallback, Integer refusedWith) {
        return SendJournalEntry.newBuilder()
                .setRequestId(requestId)
                .setKind(SendKind.PRIMARY)
                .setState(state)
                .setAttempt(2)
                .setAt(NOW.minusSeconds(2))
                .setCommandOffset(0L)
                .setFallbackActive(fallback)
                .setPrimaryRefusedWith(refusedWith)
                .setPrimaryRefusedAt(refusedWith == null ? null : NOW.minusSeconds(3))
                .build();
    }

    /** A send command at {@code offset} of partition 0 that could not be read; its bytes still carry request id r-9. */
    static RecordDeserializationException failure(long offset, Exception cause) {
        // Confluent frame (magic 0, schema id 7), then the Avro string "r-9" (zig-zag length 3 = 6), then garbage.
        ByteBuffer value = ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 7, 6, 'r', '-', '9', (byte) 0xff});
        return new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                P0,
                offset,
                0,
                TimestampType.CREATE_TIME,
                ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8)),
                value,
                null,
                "cannot read",
                cause);
    }
}
