package io.janela.metrics.testing;

import io.janela.metrics.summary.SummaryReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A running service's endpoints as the ITs read them: a Prometheus scrape and {@code GET /metrics/summary}. */
public final class ServiceHttp {

    private final WebTestClient http;

    // A scrape of a service that has measured a few hundred windows passes WebClient's default 256 KB buffer (every
    // series is labelled per number, outcome, late and so on), which fails the test with DataBufferLimitException.
    private static final int SCRAPE_BUFFER_BYTES = 8 * 1024 * 1024;

    public ServiceHttp(int port) {
        this(WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build());
    }

    public ServiceHttp(WebTestClient http) {
        this.http = http.mutate()
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(SCRAPE_BUFFER_BYTES))
                .build();
    }

    /** The service a context started on a random port ({@code server.port=0}). */
    public static ServiceHttp of(ConfigurableApplicationContext context) {
        return new ServiceHttp(Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
    }

    public PrometheusText scrape() {
        return new PrometheusText(prometheus());
    }

    /** The text of {@code /actuator/prometheus}. */
    public String prometheus() {
        return http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    public SummaryReport summary(String phoneNumberId, Instant from, Instant to) {
        return summary(phoneNumberId, from, to, null);
    }

    /** The summary, of one agent's row (and {@code other}) when {@code agentId} is not null. */
    public SummaryReport summary(String phoneNumberId, Instant from, Instant to, String agentId) {
        return http.get()
                .uri(uri -> uri.path("/metrics/summary")
                        .queryParam("phoneNumberId", phoneNumberId)
                        .queryParam("from", from.toString())
                        .queryParam("to", to.toString())
                        .queryParamIfPresent("agentId", Optional.ofNullable(agentId))
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(SummaryReport.class)
                .returnResult()
                .getResponseBody();
    }
}
