package io.janela.testsupport.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExposedMetricsTest {

    private static final String SCRAPE = """
            # HELP janela_webhooks_requests_total Webhook requests
            # TYPE janela_webhooks_requests_total counter
            janela_webhooks_requests_total{outcome="accepted"} 3.0
            # HELP janela_publish_seconds Publish latency
            # TYPE janela_publish_seconds histogram
            janela_publish_seconds_bucket{le="0.1"} 1
            # TYPE jvm_threads_live_threads gauge
            jvm_threads_live_threads 42.0
            # TYPE janela_windows_opened counter
            """;

    @TempDir
    Path folder;

    @Test
    void readsTheNamesOfTheTypeLinesWithCountersUnderTheirSeriesName() {
        assertThat(ExposedMetrics.namesIn(SCRAPE))
                .containsExactly(
                        "janela_publish_seconds",
                        "janela_webhooks_requests_total",
                        "janela_windows_opened_total",
                        "jvm_threads_live_threads");
    }

    @Test
    void keepsEachMetricsType() {
        assertThat(ExposedMetrics.typesIn(SCRAPE))
                .containsEntry("janela_publish_seconds", "histogram")
                .containsEntry("janela_windows_opened_total", "counter")
                .containsEntry("jvm_threads_live_threads", "gauge");
    }

    @Test
    void mergesWhatSeveralTestsSaw() throws IOException {
        Path file = folder.resolve("target/exposed-metrics.txt");
        ExposedMetrics.record("# TYPE a_total counter\n", file);
        ExposedMetrics.record("# TYPE b gauge\n", file);

        assertThat(Files.readAllLines(file)).containsExactly("a_total counter", "b gauge");
    }
}
