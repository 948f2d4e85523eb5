package io.janela.local.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.local.demo.PrometheusText;
import org.junit.jupiter.api.Test;

class PrometheusCounterTest {

    private final PrometheusCounter counter = new PrometheusCounter(
            "janela_windows_opened_total", sample -> "17".equals(sample.label("phone_number_id")));

    @Test
    void sumsTheLastValueOfEachProcessAcrossARestart() {
        counter.observe(page(100, 3, 9));
        counter.observe(page(100, 5, 9));
        counter.observe(page(200, 2, 0)); // restarted: counts from zero again
        counter.observe(page(200, 4, 0));

        assertThat(counter.total()).isEqualTo(9.0);
        assertThat(counter.resets()).isEqualTo(1);
        assertThat(counter.scrapes()).isEqualTo(4);
    }

    @Test
    void countsOnlyTheChosenSeries() {
        counter.observe(page(100, 0, 7));

        assertThat(counter.total()).isZero();
    }

    private static PrometheusText page(double processStart, double ours, double others) {
        return PrometheusText.parse("""
                process_start_time_seconds %s
                janela_windows_opened_total{phone_number_id="17",opened_by="first_time_contact"} %s
                janela_windows_opened_total{phone_number_id="18",opened_by="first_time_contact"} %s
                """.formatted(processStart, ours, others));
    }
}
