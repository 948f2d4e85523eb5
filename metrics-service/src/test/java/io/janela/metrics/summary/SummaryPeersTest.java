package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/**
 * Which instance a summary asks for which partitions of the summary store, decided from each partition's active host.
 * What Kafka Streams itself answers for those hosts (a real two-instance application, with standbys and before its
 * first assignment) is {@link SummaryStoreQueriesIT}'s part.
 */
class SummaryPeersTest {

    private static final HostInfo SELF = new HostInfo("metrics-0.metrics", 8083);
    private static final HostInfo OTHER = new HostInfo("metrics-1.metrics", 8083);
    private static final HostInfo THIRD = new HostInfo("metrics-2.metrics", 8083);

    @Test
    void eachPartitionIsAskedOfTheInstanceThatServesItActivelyAndOfNoOther() {
        SummaryAssignment assignment =
                SummaryPeers.assignment(SELF, Map.of(0, SELF, 1, OTHER, 2, SELF, 3, THIRD, 4, OTHER, 5, THIRD));

        assertThat(assignment)
                .isEqualTo(
                        new SummaryAssignment.Shared(Set.of(0, 2), Map.of(OTHER, Set.of(1, 4), THIRD, Set.of(3, 5))));
    }

    @Test
    void anInstanceServingNoPartitionStillAsksTheOthersForAll() {
        SummaryAssignment assignment = SummaryPeers.assignment(SELF, Map.of(0, OTHER, 1, OTHER));

        assertThat(assignment).isEqualTo(new SummaryAssignment.Shared(Set.of(), Map.of(OTHER, Set.of(0, 1))));
    }

    @Test
    void aPartitionWithoutAnActiveInstanceMakesTheSummaryUnavailable() {
        // Mid-rebalance: revoked from one instance, not yet assigned to the next.
        assertThatThrownBy(() -> SummaryPeers.assignment(SELF, Map.of(0, SELF, 1, OTHER, 2, HostInfo.unavailable())))
                .isInstanceOf(SummaryUnavailableException.class)
                .hasMessageContaining("partitions [2] of the summary store have no active instance");
    }

    @Test
    void aPartitionWhoseMetadataNamesNoHostMakesTheSummaryUnavailable() {
        Map<Integer, HostInfo> activeHosts = new HashMap<>();
        activeHosts.put(0, SELF);
        activeHosts.put(1, null);

        assertThatThrownBy(() -> SummaryPeers.assignment(SELF, activeHosts))
                .isInstanceOf(SummaryUnavailableException.class)
                .hasMessageContaining("partitions [1]");
    }

    @Test
    void withoutItsOwnAddressAnInstanceTakesItselfToBeTheOnlyOne() {
        assertThat(new SummaryPeers(() -> null, "").assignment()).isInstanceOf(SummaryAssignment.Alone.class);
    }
}
