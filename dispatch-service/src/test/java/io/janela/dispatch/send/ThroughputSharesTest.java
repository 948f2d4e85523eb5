package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputSharesTest {

    @Test
    void givesEachPartitionAWholeQuotaSoThatInstancesAddUpToExactlyTheLimit() {
        assertThat(ThroughputShares.rate(80, 6, List.of(0, 1, 2, 3, 4, 5))).isEqualTo(80);
        double first = ThroughputShares.rate(80, 6, List.of(0, 1, 2));
        double second = ThroughputShares.rate(80, 6, List.of(3, 4, 5));
        assertThat(first).isEqualTo(41);
        assertThat(second).isEqualTo(39);
        assertThat(first + second).isEqualTo(80);
        assertThat(ThroughputShares.rate(5, 3, List.of(0, 1)) + ThroughputShares.rate(5, 3, List.of(2)))
                .isEqualTo(5);
    }

    @Test
    void sharesALimitSmallerThanThePartitionCountByFraction() {
        assertThat(ThroughputShares.rate(2, 4, List.of(0))).isEqualTo(0.5);
    }

    @Test
    void givesNothingWithoutPartitions() {
        assertThat(ThroughputShares.rate(80, 6, List.of())).isZero();
    }
}
