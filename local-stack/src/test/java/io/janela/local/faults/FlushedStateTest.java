package io.janela.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class FlushedStateTest {

    /** Two lines as the metrics-service logged them after a SIGKILL, with lines of other kinds between. */
    private static final String LOG = """
            2026-12-07T14:58:45.489Z  INFO 9861 --- [metrics-service] [-StateUpdater-1] i.j.contract.spring.StreamsRestores      : Restore started: store=metrics-summary changelog=janela-metrics-metrics-summary-changelog partition=4 from=scratch startingOffset=0 endingOffset=2 offsetsToRestore=2
            2026-12-07T14:58:45.489Z  INFO 9861 --- [metrics-service] [-StateUpdater-1] i.j.contract.spring.StreamsRestores      : Restore started: store=metrics-conversations changelog=janela-metrics-metrics-conversations-changelog partition=4 from=checkpoint startingOffset=23 endingOffset=36 offsetsToRestore=13
            2026-12-07T14:58:45.490Z  INFO 9861 --- [metrics-service] [-StateUpdater-1] o.a.k.s.p.i.StoreChangelogReader         : Finished restoring changelog janela-metrics-metrics-summary-changelog-4 to store metrics-summary with a total number of 1 records
            2026-12-07T14:58:46.648Z  INFO 9861 --- [metrics-service] [-StateUpdater-1] i.j.contract.spring.StreamsRestores      : Restore started: store=metrics-messages changelog=janela-metrics-metrics-messages-changelog partition=1 from=scratch startingOffset=0 endingOffset=7 offsetsToRestore=7
            """;

    private static final TopicPartition SUMMARY_4 = new TopicPartition("janela-metrics-metrics-summary-changelog", 4);
    private static final TopicPartition MESSAGES_1 = new TopicPartition("janela-metrics-metrics-messages-changelog", 1);

    @Test
    void theLogsRestoresFromScratchAreReadWithTheirChangelogPartitionAndNoOther() {
        assertThat(ScratchRestore.in(LOG))
                .containsExactly(
                        new ScratchRestore("metrics-summary", SUMMARY_4, 2),
                        new ScratchRestore("metrics-messages", MESSAGES_1, 7));
    }

    @Test
    void aPartitionEmptyAtTheFlushExplainsItsRestoreFromScratchAndOneThatHeldRecordsOrIsUnknownDoesNot() {
        List<ScratchRestore> restores = ScratchRestore.in(LOG);
        FlushedState flushed = new FlushedState(Map.of(SUMMARY_4, 0L, MESSAGES_1, 5L));

        assertThat(flushed.explained(restores))
                .extracting(ScratchRestore::changelog)
                .containsExactly(SUMMARY_4);
        assertThat(flushed.unexplained(restores))
                .extracting(ScratchRestore::changelog)
                .containsExactly(MESSAGES_1);
        assertThat(new FlushedState(Map.of()).unexplained(restores))
                .as("a partition the snapshot does not know")
                .hasSize(2);
    }
}
