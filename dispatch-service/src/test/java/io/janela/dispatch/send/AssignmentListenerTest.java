package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The order in which the sender takes and gives up partitions: each step of the rebalance listener, recorded. */
class AssignmentListenerTest {

    private static final TopicPartition P0 = new TopicPartition("whatsapp.dispatch.send-commands", 0);
    private static final TopicPartition P1 = new TopicPartition("whatsapp.dispatch.send-commands", 1);

    private final List<String> events = new ArrayList<>();

    /** Records when the consumer's position on a partition is asked, as a read_committed consumer would block then. */
    private final class RecordingConsumer extends MockConsumer<String, Object> {
        private boolean stalled;

        RecordingConsumer() {
            super("earliest");
        }

        /** MockConsumer's position(partition, timeout) comes here too. */
        @Override
        public synchronized long position(TopicPartition partition) {
            if (stalled) {
                throw new TimeoutException("the previous owner's transaction is still open");
            }
            long position = super.position(partition);
            events.add("position " + partition.partition() + "=" + position);
            return position;
        }
    }

    /** The sender's side, recorded. */
    private final class RecordingSender implements AssignmentListener.Partitions {
        @Override
        public void release(Collection<TopicPartition> partitions) {
            events.add("release " + numbers(partitions));
        }

        @Override
        public void handOver(Collection<TopicPartition> partitions) {
            events.add("hand over " + numbers(partitions));
        }

        @Override
        public void abandon(Collection<TopicPartition> partitions) {
            events.add("abandon " + numbers(partitions));
        }

        @Override
        public void loadJournal(Collection<TopicPartition> partitions) {
            events.add("journal " + numbers(partitions));
        }

        @Override
        public void hold(Collection<TopicPartition> partitions) {
            events.add("hold " + numbers(partitions));
        }

        @Override
        public void rates(Collection<TopicPartition> held) {
            events.add("rates " + numbers(held));
        }
    }

    @Test
    void theConsumersPositionOnEveryAssignedPartitionIsKnownBeforeTheJournalIsReadAndThePartitionsHeld() {
        RecordingConsumer consumer = assigned(P0, P1);
        consumer.seek(P1, 42);

        new AssignmentListener(consumer, new RecordingSender()).onPartitionsAssigned(List.of(P0, P1));

        assertThat(events)
                .containsExactly("position 0=0", "position 1=42", "journal [0, 1]", "hold [0, 1]", "rates [0, 1]");
    }

    @Test
    void aPositionThatCannotBeEstablishedLeavesTheJournalUnreadAndThePartitionNotHeld() {
        RecordingConsumer consumer = assigned(P0);
        consumer.stalled = true;

        assertThatThrownBy(
                        () -> new AssignmentListener(consumer, new RecordingSender()).onPartitionsAssigned(List.of(P0)))
                .isInstanceOf(TimeoutException.class);
        assertThat(events).isEmpty();
    }

    @Test
    void revokedPartitionsAreReleasedFromThePacerBeforeTheyAreHandedOver() {
        RecordingConsumer consumer = assigned(P0, P1);

        new AssignmentListener(consumer, new RecordingSender()).onPartitionsRevoked(List.of(P1));

        assertThat(events).containsExactly("release [1]", "hand over [1]", "rates [0]");
    }

    @Test
    void lostPartitionsAreReleasedFromThePacerThenAbandonedWithoutAHandOver() {
        RecordingConsumer consumer = assigned(P0, P1);

        new AssignmentListener(consumer, new RecordingSender()).onPartitionsLost(List.of(P0, P1));

        assertThat(events).containsExactly("release [0, 1]", "abandon [0, 1]", "rates []");
    }

    private RecordingConsumer assigned(TopicPartition... partitions) {
        RecordingConsumer consumer = new RecordingConsumer();
        consumer.assign(List.of(partitions));
        Map<TopicPartition, Long> beginnings = new java.util.HashMap<>();
        for (TopicPartition partition : partitions) {
            beginnings.put(partition, 0L);
        }
        consumer.updateBeginningOffsets(beginnings);
        return consumer;
    }

    private static TreeSet<Integer> numbers(Collection<TopicPartition> partitions) {
        TreeSet<Integer> numbers = new TreeSet<>();
        partitions.forEach(partition -> numbers.add(partition.partition()));
        return numbers;
    }
}
