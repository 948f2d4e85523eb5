package io.janela.window.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.window.rules.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void keysSortByDueTimeAsRocksDbComparesBytes() {
        List<Bytes> keys = new ArrayList<>(List.of(
                DeadlineIndex.key("106540352242922:US.b", Deadline.close(T0.plusSeconds(1))),
                DeadlineIndex.key("106540352242922:US.a", Deadline.close(T0.plus(Duration.ofDays(400)))),
                DeadlineIndex.key("1:Z", Deadline.closingSoon(T0.plusSeconds(3600), Duration.ofHours(1))),
                DeadlineIndex.key("106540352242922:US.c", Deadline.close(Instant.ofEpochMilli(255)))));

        keys.sort(Comparator.naturalOrder()); // Bytes compares as unsigned bytes, as RocksDB does

        assertThat(keys)
                .extracting(key -> DeadlineIndex.decode(key.get()).deadline().dueAt())
                .containsExactly(Instant.ofEpochMilli(255), T0, T0.plusSeconds(1), T0.plus(Duration.ofDays(400)));
    }

    @Test
    void aKeyDecodesToItsContactAndDeadline() {
        Deadline soon = Deadline.closingSoon(T0, Duration.ofMinutes(30));

        DeadlineIndex.Entry entry =
                DeadlineIndex.decode(DeadlineIndex.key("106540352242922:US.13491208655302741918", soon)
                        .get());

        assertThat(entry).isEqualTo(new DeadlineIndex.Entry("106540352242922:US.13491208655302741918", soon));
    }
}
