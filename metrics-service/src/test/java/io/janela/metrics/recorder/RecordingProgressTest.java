package io.janela.metrics.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RecordingProgressTest {

    private static final TopicPartition P0 = new TopicPartition("whatsapp.metrics.windows-opened", 0);
    private static final TopicPartition P1 = new TopicPartition("whatsapp.metrics.windows-opened", 1);

    private final RecordingProgress progress = new RecordingProgress(0);

    @Test
    void aCompleteScrapeAcknowledgesWhatWasRecordedBeforeIt() {
        progress.record(() -> {}, Map.of(P0, 5L));
        assertThat(progress.acknowledged()).isEmpty();

        progress.scrape(() -> "ok", scrape -> true, 100);

        assertThat(progress.acknowledged()).isEqualTo(Map.of(P0, 5L));
        assertThat(progress.acknowledgedAt()).isEqualTo(100);
    }

    @Test
    void anIncompleteScrapeAcknowledgesNothing() {
        progress.record(() -> {}, Map.of(P0, 5L));

        progress.scrape(() -> "filtered", scrape -> false, 100);

        assertThat(progress.acknowledged()).isEmpty();
        assertThat(progress.recorded()).isEqualTo(Map.of(P0, 5L));
    }

    @Test
    void recordingWaitsForAScrapeInProgress() throws InterruptedException {
        List<String> order = new ArrayList<>();
        Thread recorder = new Thread(() -> progress.record(() -> order.add("recorded"), Map.of(P0, 1L)));
        progress.scrape(
                () -> {
                    recorder.start();
                    awaitBlocked(recorder);
                    order.add("scraped");
                    return "ok";
                },
                scrape -> true,
                1);
        recorder.join();

        assertThat(order).containsExactly("scraped", "recorded");
        assertThat(progress.acknowledged()).isEmpty();
    }

    @Test
    void forgottenPartitionsAreNeitherRecordedNorAcknowledged() {
        progress.record(() -> {}, Map.of(P0, 5L, P1, 7L));
        progress.scrape(() -> "ok", scrape -> true, 1);

        progress.forget(Set.of(P1));

        assertThat(progress.recorded()).isEqualTo(Map.of(P0, 5L));
        assertThat(progress.acknowledged()).isEqualTo(Map.of(P0, 5L));
    }

    @Test
    void withoutScrapesEverythingRecordedCanBeAcknowledged() {
        progress.record(() -> {}, Map.of(P0, 9L));

        progress.acknowledgeRecorded(600_000);

        assertThat(progress.acknowledged()).isEqualTo(Map.of(P0, 9L));
        assertThat(progress.acknowledgedAt()).isEqualTo(600_000);
    }

    private static void awaitBlocked(Thread thread) {
        while (thread.getState() != Thread.State.WAITING
                && thread.getState() != Thread.State.BLOCKED
                && thread.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
    }
}
