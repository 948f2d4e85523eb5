package io.janela.dispatch.send;

import io.janela.avro.SendCommand;
import io.janela.avro.SendJournalEntry;
import io.janela.avro.SendState;
import io.janela.contract.ContactKey;
import io.janela.serde.RegistryRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of each send command the consumer reads, by what the journal says of it:
 *
 * <ul>
 *   <li>DONE: its result is out already; passed (its offset may be committed past it);
 *   <li>ATTEMPTING: a call may have reached Meta before the last owner stopped; in doubt, with the fallback's state as
 *       journaled (a fallback in flight stays the fallback, and its result still names Meta's refusal);
 *   <li>nothing: queued to be sent.
 * </ul>
 *
 * A command that cannot be read is never skipped silently: when the schema registry could not be reached, its partition
 * reads the same offset again after a backoff; a command unreadable for a reason of its own is answered FAILED once
 * (the journal marks it UNREADABLE) and passed. Single-threaded: the send loop owns it.
 */
final class CommandIntake {

    private static final Logger log = LoggerFactory.getLogger(CommandIntake.class);

    private final SendJournal journal;
    private final SendScheduler scheduler;
    private final Map<TopicPartition, PartitionProgress> progress;
    private final FlowControl flow;
    private final RegistryRetry registryRetry;
    private final SenderMetrics metrics;
    private final Clock clock;
    private final java.util.function.Consumer<Pending> inDoubt;

    /**
     * @param progress the partitions held and what is open on each (a command of a partition not held is ignored)
     * @param inDoubt called for each command found in doubt (its status is to be looked for)
     */
    CommandIntake(
            SendJournal journal,
            SendScheduler scheduler,
            Map<TopicPartition, PartitionProgress> progress,
            FlowControl flow,
            RegistryRetry registryRetry,
            SenderMetrics metrics,
            Clock clock,
            java.util.function.Consumer<Pending> inDoubt) {
        this.journal = journal;
        this.scheduler = scheduler;
        this.progress = progress;
        this.flow = flow;
        this.registryRetry = registryRetry;
        this.metrics = metrics;
        this.clock = clock;
        this.inDoubt = inDoubt;
    }

    /** A command read, in offset order. */
    void read(ConsumerRecord<String, SendCommand> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        PartitionProgress partitionProgress = progress.get(partition);
        if (partitionProgress == null) {
            return;
        }
        if (record.value() == null) {
            partitionProgress.alreadyDone(record.offset(), "");
            return;
        }
        SendCommand command = record.value();
        String contactKey = new ContactKey(command.getPhoneNumberId(), command.getContactId()).format();
        Pending pending = new Pending(command, partition, record.offset(), contactKey);
        SendJournalEntry entry = journal.get(record.partition(), pending.journalKey);
        if (entry != null && entry.getState() == SendState.DONE) {
            partitionProgress.alreadyDone(record.offset(), pending.journalKey);
            return;
        }
        partitionProgress.read(record.offset(), pending.journalKey);
        if (entry != null && entry.getState() == SendState.ATTEMPTING) {
            log.warn(
                    "Request {} was being sent (attempt {}) when its last owner stopped: in doubt until a status"
                            + " webhook says whether Meta accepted it",
                    pending.requestId(),
                    entry.getAttempt());
            // The fallback's state survives the crash: the fallback is what was being sent, and its result names the
            // refusal that closed the window.
            pending.fallbackActive = entry.getFallbackActive();
            pending.refusedWith = entry.getPrimaryRefusedWith();
            pending.refusedAt = entry.getPrimaryRefusedAt();
            scheduler.addInDoubt(pending, entry.getAttempt(), entry.getAt());
            inDoubt.accept(pending);
        } else {
            scheduler.add(pending);
        }
    }

    /** A poll read its records (the registry answered, or was not needed): the next failure backs off from the start. */
    void polled() {
        registryRetry.succeeded();
    }

    /**
     * A send command the consumer could not read. When the schema registry was unreachable, the partition waits and
     * reads the same offset again (backoff); a command unreadable for a reason of its own is answered FAILED (once: the
     * journal marks it) and passed. Returns whether a command was passed.
     *
     * @param answer takes the FAILED result to publish
     */
    boolean unreadable(
            RecordDeserializationException e,
            Consumer<?, ?> consumer,
            java.util.function.Consumer<SenderTransactions.Unreadable> answer) {
        TopicPartition partition = e.topicPartition();
        PartitionProgress partitionProgress = progress.get(partition);
        if (RegistryRetry.isTransient(e)) {
            Duration pause = registryRetry.failed();
            metrics.registryUnavailable(SenderMetrics.COMMANDS);
            log.warn(
                    "The schema registry could not be reached to read the send command at {}-{}; reading it again in"
                            + " {}",
                    partition,
                    e.offset(),
                    pause);
            consumer.seek(partition, e.offset());
            flow.retryAt(partition, clock.instant().plus(pause));
            return false;
        }
        consumer.seek(partition, e.offset() + 1);
        if (partitionProgress == null) {
            return false;
        }
        String journalKey = UnreadableCommand.journalKey(e.offset());
        SendJournalEntry entry = journal.get(partition.partition(), journalKey);
        if (entry != null && entry.getState() == SendState.DONE) {
            partitionProgress.alreadyDone(e.offset(), journalKey);
            return true;
        }
        UnreadableCommand command = UnreadableCommand.of(e, clock.instant());
        log.error(
                "The send command at {}-{} (request {}) cannot be read: answered FAILED, nothing sent",
                partition,
                e.offset(),
                command.requestId(),
                e);
        partitionProgress.read(e.offset(), journalKey);
        answer.accept(new SenderTransactions.Unreadable(partition, e.offset(), command));
        return true;
    }
}
