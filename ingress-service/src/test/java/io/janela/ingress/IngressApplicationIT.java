package io.janela.ingress;

import io.janela.testsupport.kafka.UsesKafkaBroker;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.properties.schema.registry.url=mock://ingress-application-it",
            "janela.ingress.app-secrets=" + TestWebhooks.APP_SECRET,
            "janela.ingress.verify-token=" + TestWebhooks.VERIFY_TOKEN
        })
@AutoConfigureWebTestClient
@UsesKafkaBroker
class IngressApplicationIT {

    @Autowired
    WebTestClient http;

    @Test
    void startsAndReportsLiveAndReady() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void exposesPrometheusMetricsTaggedWithTheApplication() {
        // The first scrape of a cold JVM renders every pre-registered meter; on a loaded CI machine it can take longer
        // than WebTestClient's 5 s default response timeout.
        http.mutate()
                .responseTimeout(java.time.Duration.ofSeconds(30))
                .build()
                .get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body ->
                        org.assertj.core.api.Assertions.assertThat(body).contains("application=\"ingress-service\""));
    }
}
