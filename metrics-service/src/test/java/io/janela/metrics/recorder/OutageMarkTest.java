package io.janela.metrics.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OutageMarkTest {

    private static final TopicPartition FAILED = new TopicPartition("whatsapp.metrics.windows-opened", 0);
    private static final TopicPartition OTHER = new TopicPartition("whatsapp.metrics.windows-opened", 1);

    private final OutageMark mark = new OutageMark();

    @Test
    void withoutAnOutageEveryCompleteBatchPasses() {
        assertThat(mark.passedBy(Map.of(OTHER, 5L), Set.of(FAILED, OTHER))).isTrue();
    }

    @Test
    void aBatchOfOtherPartitionsOnlyDoesNotPassTheRecordTheRecorderStoppedAt() {
        mark.stoppedAt(FAILED, 41);

        assertThat(mark.passedBy(Map.of(OTHER, 90L), Set.of(FAILED, OTHER))).isFalse();
        assertThat(mark.passedBy(Map.of(), Set.of(FAILED, OTHER))).isFalse();
    }

    @Test
    void readingTheRecordItStoppedAtPassesItOnce() {
        mark.stoppedAt(FAILED, 41);

        assertThat(mark.passedBy(Map.of(FAILED, 42L), Set.of(FAILED, OTHER))).isTrue();
        assertThat(mark.passedBy(Map.of(OTHER, 91L), Set.of(FAILED, OTHER))).isTrue();
    }

    @Test
    void aPartitionNoLongerHeldNoLongerHoldsTheBackOff() {
        mark.stoppedAt(FAILED, 41);

        assertThat(mark.passedBy(Map.of(OTHER, 90L), Set.of(OTHER))).isTrue();
    }
}
