package io.janela.metrics.testing;

import io.janela.metrics.summary.SummaryReport;
import java.time.Duration;
import java.time.Instant;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A running service's endpoints as the ITs read them: a Prometheus scrape and {@code GET /metrics/summary}. */
public final class ServiceHttp {

    private final WebTestClient http;

    public ServiceHttp(int port) {
        this.http = WebTestClient.bindToServer()
                .baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    /** The service a context started on a random port ({@code server.port=0}). */
    public static ServiceHttp of(ConfigurableApplicationContext context) {
        return new ServiceHttp(Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
    }

    public PrometheusText scrape() {
        return new PrometheusText(http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
    }

    public SummaryReport summary(String phoneNumberId, Instant from, Instant to) {
        return http.get()
                .uri(uri -> uri.path("/metrics/summary")
                        .queryParam("phoneNumberId", phoneNumberId)
                        .queryParam("from", from.toString())
                        .queryParam("to", to.toString())
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(SummaryReport.class)
                .returnResult()
                .getResponseBody();
    }
}
