package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartitionProgressTest {

    @Test
    void commitsUpToTheLowestOpenCommandAndTombstonesTheDoneOnesItPasses() {
        PartitionProgress progress = new PartitionProgress();
        progress.read(10, "PRIMARY:a");
        progress.read(11, "PRIMARY:b");
        progress.read(12, "PRIMARY:c");

        progress.done(11);
        progress.done(12);
        assertThat(progress.committable()).isEqualTo(10);
        assertThat(progress.committedUpTo(10)).isEmpty();

        progress.done(10);
        assertThat(progress.committable()).isEqualTo(13);
        assertThat(progress.committedUpTo(13)).containsExactly("PRIMARY:a", "PRIMARY:b", "PRIMARY:c");
        assertThat(progress.advanced()).isFalse();
    }

    @Test
    void letsTheOffsetPassCommandsTheJournalSaysAreDone() {
        PartitionProgress progress = new PartitionProgress();
        progress.alreadyDone(4, "PRIMARY:a");
        assertThat(progress.committable()).isEqualTo(5);
        assertThat(progress.committedUpTo(5)).containsExactly("PRIMARY:a");
    }
}
