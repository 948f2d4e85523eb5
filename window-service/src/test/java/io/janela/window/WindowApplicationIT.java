package io.janela.window;

import static org.awaitility.Awaitility.await;

import io.janela.testsupport.kafka.UsesKafkaBroker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.properties.schema.registry.url=mock://window-application-it",
            // A random HTTP port is known only after Kafka Streams has its application.server; one instance never
            // forwards, so any port will do here.
            "janela.window.query.advertised-port=18081"
        })
@AutoConfigureWebTestClient
@UsesKafkaBroker
class WindowApplicationIT {

    @Autowired
    WebTestClient http;

    @Test
    void startsAndReportsLiveAndReadyOnceKafkaStreamsRuns() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        // Ready only once Kafka Streams is RUNNING, which takes a rebalance after start.
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> http.get()
                        .uri("/actuator/health/readiness")
                        .exchange()
                        .expectStatus()
                        .isOk());
    }

    @Test
    void exposesPrometheusMetricsTaggedWithTheApplication() {
        http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body ->
                        org.assertj.core.api.Assertions.assertThat(body).contains("application=\"window-service\""));
    }
}
