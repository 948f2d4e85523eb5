package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ThroughputRateGaugeTest {

    @Test
    void theRateGaugeNamesTheLevelItFollowsWithOneSeriesPerNumber() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SenderMetrics metrics = new SenderMetrics(registry, () -> 0, () -> 0);

        metrics.rate("1001", ThroughputReports.CONFIGURED, 40.0);
        metrics.rate("1002", ThroughputReports.PINNED, 20.0);
        metrics.rate("1001", "high", 500.0);

        assertThat(registry.find("janela.dispatch.throughput.rate")
                        .tag("phone_number_id", "1001")
                        .gauges())
                .singleElement()
                .satisfies(gauge -> {
                    assertThat(gauge.getId().getTag("throughput_level")).isEqualTo("high");
                    assertThat(gauge.value()).isEqualTo(500.0);
                });
        Gauge pinned = registry.get("janela.dispatch.throughput.rate")
                .tag("phone_number_id", "1002")
                .gauge();
        assertThat(pinned.getId().getTag("throughput_level")).isEqualTo("pinned");
        assertThat(pinned.value()).isEqualTo(20.0);
    }
}
