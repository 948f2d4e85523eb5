package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class AssignmentOrderTest {

    private static final TopicPartition P0 = new TopicPartition("whatsapp.dispatch.send-commands", 0);
    private static final TopicPartition P1 = new TopicPartition("whatsapp.dispatch.send-commands", 1);

    /** Records when the consumer's position on a partition is asked, as a read_committed consumer would block then. */
    private static final class RecordingConsumer extends MockConsumer<String, Object> {
        private final List<String> events;
        private boolean stalled;

        RecordingConsumer(List<String> events) {
            super("earliest");
            this.events = events;
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

    @Test
    void theConsumersPositionOnEveryAssignedPartitionIsKnownBeforeTheJournalIsRead() {
        List<String> events = new ArrayList<>();
        RecordingConsumer consumer = new RecordingConsumer(events);
        consumer.assign(List.of(P0, P1));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.seek(P1, 42);

        Sender.loadAfterPosition(consumer, List.of(P0, P1), partitions -> events.add("journal " + partitions));

        assertThat(events).containsExactly("position 0=0", "position 1=42", "journal " + List.of(P0, P1));
    }

    @Test
    void aPositionThatCannotBeEstablishedLeavesTheJournalUnread() {
        List<String> events = new ArrayList<>();
        RecordingConsumer consumer = new RecordingConsumer(events);
        consumer.assign(List.of(P0));
        consumer.stalled = true;

        assertThatThrownBy(() -> Sender.loadAfterPosition(consumer, List.of(P0), partitions -> events.add("journal")))
                .isInstanceOf(TimeoutException.class);
        assertThat(events).doesNotContain("journal");
    }
}
