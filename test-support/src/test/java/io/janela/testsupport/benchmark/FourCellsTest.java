package io.janela.testsupport.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FourCellsTest {

    @Test
    void reportsTheMedianRatioPerGuaranteeAndWhatTransactionsCost() {
        FourCells cells = new FourCells("new contacts", "window topology", "pass-through to 3 topics");

        assertThat(cells.add(Guarantee.EXACTLY_ONCE_V2, 100, 60))
                .contains("round 1")
                .endsWith("= 60 %");
        cells.add(Guarantee.EXACTLY_ONCE_V2, 100, 40);
        cells.add(Guarantee.EXACTLY_ONCE_V2, 200, 200);
        cells.add(Guarantee.AT_LEAST_ONCE, 200, 120);

        List<String> summary = cells.summary();
        assertThat(summary.get(0))
                .startsWith("new contacts, EOS v2, medians of 3 rounds")
                .contains("pass-through to 3 topics 100 records/s", "window topology 60 records/s")
                .contains("÷ pass-through 60 % (rounds 40–100 %) (bar ≥ 50 %)");
        assertThat(summary.get(1)).contains("at-least-once").contains("÷ pass-through 60 %");
        assertThat(summary.get(2))
                .isEqualTo("new contacts, exactly-once ÷ at-least-once (medians): pass-through to 3 topics 50 %,"
                        + " window topology 50 %");
    }

    @Test
    void namesTheSettingsThatDecideWhatAStoreWriteCosts() {
        assertThat(FourCells.settings(Map.of("commit.interval.ms", 100, "enable.transactional.statestores", true)))
                .contains("record cache (statestore.cache.max.bytes) 10,485,760 bytes")
                .contains("commit.interval.ms 100 ms")
                .contains("enable.transactional.statestores true")
                .contains("rocksdb.config.setter none");
        assertThat(FourCells.settings(Map.of())).contains("Kafka's default (100 ms under exactly-once");
    }

    @Test
    void readsGuaranteesAsProcessingGuaranteeValues() {
        assertThat(Guarantee.parse("exactly_once_v2, at_least_once"))
                .containsExactly(Guarantee.EXACTLY_ONCE_V2, Guarantee.AT_LEAST_ONCE);
        assertThatThrownBy(() -> Guarantee.parse("exactly_once")).isInstanceOf(IllegalArgumentException.class);
    }
}
