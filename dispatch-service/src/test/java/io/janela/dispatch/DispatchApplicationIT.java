package io.janela.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
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
            "spring.kafka.properties.schema.registry.url=mock://dispatch-application-it",
            "spring.kafka.streams.application-id=dispatch-application-it",
            "spring.kafka.streams.state-dir=${java.io.tmpdir}/dispatch-application-it",
            "janela.dispatch.business-numbers[0].phone-number-id=106540352242922",
            "janela.dispatch.business-numbers[0].waba-id=102290129340398",
            "janela.dispatch.business-numbers[0].access-token=not-a-real-token",
            "janela.dispatch.graph-api.base-url=http://127.0.0.1:1",
            "janela.dispatch.template-sync.enabled=false",
            // Kafka Streams' own meters alone make a scrape larger than the client's default 256 KB buffer.
            "spring.http.codecs.max-in-memory-size=16MB"
        })
@AutoConfigureWebTestClient
@UsesKafkaBroker
class DispatchApplicationIT {

    @Autowired
    WebTestClient http;

    @Test
    void startsAndReportsLiveAndReady() {
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
    void exposesPrometheusMetricsTaggedWithTheApplicationIncludingTheSenders() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> http.get()
                        .uri("/actuator/prometheus")
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody(String.class)
                        .value(body -> assertThat(body)
                                .contains("application=\"dispatch-service\"")
                                .contains("janela_dispatch_sender_held")
                                .contains("janela_dispatch_throughput_rate{")));
    }
}
