package io.janela.metrics.recorder;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;

/**
 * Spring Boot's {@code /actuator/prometheus}, unchanged in what it answers, that tells the recorder what a scrape
 * has shown: while it scrapes, no measurement is recorded, and a complete scrape (every meter, answered 200)
 * acknowledges everything recorded before it. See {@link RecordingProgress}.
 */
@WebEndpoint(id = "prometheus")
class ScrapeAcknowledgingPrometheusEndpoint extends PrometheusScrapeEndpoint {

    private final RecordingProgress progress;
    private final Clock clock;

    ScrapeAcknowledgingPrometheusEndpoint(
            PrometheusRegistry registry, Properties exporterProperties, RecordingProgress progress, Clock clock) {
        super(registry, exporterProperties);
        this.progress = progress;
        this.clock = clock;
    }

    @Override
    @ReadOperation(producesFrom = PrometheusOutputFormat.class)
    public WebEndpointResponse<byte[]> scrape(PrometheusOutputFormat format, @Nullable Set<String> includedNames) {
        boolean everyMeter = includedNames == null || includedNames.isEmpty();
        return progress.scrape(
                () -> super.scrape(format, includedNames),
                response -> everyMeter && response.getStatus() == WebEndpointResponse.STATUS_OK,
                clock.millis());
    }
}
