package io.janela.dispatch.send;

import static io.janela.dispatch.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class FlowControlTest {

    private static final TopicPartition P0 = new TopicPartition("whatsapp.dispatch.send-commands", 0);
    private static final TopicPartition P1 = new TopicPartition("whatsapp.dispatch.send-commands", 1);
    private static final List<TopicPartition> BOTH = List.of(P0, P1);

    @Test
    void aPartitionWhoseRecordTheRegistryCouldNotServeWaitsForItsRetryAlone() {
        FlowControl flow = new FlowControl(100);
        flow.retryAt(P0, NOW.plusMillis(200));

        assertThat(flow.apply(BOTH, 0, NOW)).isEqualTo(new FlowControl.Change(Set.of(P0), Set.of()));
        assertThat(flow.waitingForRegistry()).isTrue();
        assertThat(flow.apply(BOTH, 0, NOW.plusMillis(100)).isEmpty()).isTrue();
        assertThat(flow.apply(BOTH, 0, NOW.plusMillis(200))).isEqualTo(new FlowControl.Change(Set.of(), Set.of(P0)));
        assertThat(flow.waitingForRegistry()).isFalse();
    }

    @Test
    void stopsReadingWhenFullAndResumesAtHalfWithoutResumingARegistryWait() {
        FlowControl flow = new FlowControl(100);
        flow.retryAt(P1, NOW.plusSeconds(10));

        assertThat(flow.apply(BOTH, 100, NOW)).isEqualTo(new FlowControl.Change(Set.of(P0, P1), Set.of()));
        assertThat(flow.apply(BOTH, 60, NOW).isEmpty()).as("not yet half").isTrue();
        assertThat(flow.apply(BOTH, 49, NOW)).isEqualTo(new FlowControl.Change(Set.of(), Set.of(P0)));
    }

    @Test
    void aPartitionAssignedAgainStartsUnpaused() {
        FlowControl flow = new FlowControl(100);
        flow.retryAt(P0, NOW.plusSeconds(10));
        flow.apply(BOTH, 0, NOW);

        flow.forget(List.of(P0));

        assertThat(flow.apply(BOTH, 0, NOW).isEmpty()).isTrue();
    }
}
