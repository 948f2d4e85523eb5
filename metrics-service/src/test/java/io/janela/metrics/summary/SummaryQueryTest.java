package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the summary query decides without Kafka Streams; reads of real stores are {@link SummaryStoreQueriesIT}'s. */
class SummaryQueryTest {

    private static final Instant T = Instant.parse("2026-11-20T10:02:00Z");
    private final SummaryQuery query =
            new SummaryQuery(() -> null, new SummarySettings(Duration.ofMinutes(5), Duration.ofDays(35)));

    @Test
    void anInstanceAskedForNoPartitionAddsNothingAndReadsNoStore() {
        // No Kafka Streams behind the query: reading any store would fail.
        SummaryPartial partial = query.localPartial("106540352242922", T, T.plusSeconds(3600), Set.of());

        assertThat(partial.windowsOpened()).isZero();
        assertThat(partial.firstResponses().count()).isZero();
    }

    @Test
    void aRangeIsRoundedOutToWholeBuckets() {
        Instant[] covered = query.coveredRange(T, T.plusSeconds(3600));

        assertThat(covered)
                .containsExactly(Instant.parse("2026-11-20T10:00:00Z"), Instant.parse("2026-11-20T11:05:00Z"));
    }
}
