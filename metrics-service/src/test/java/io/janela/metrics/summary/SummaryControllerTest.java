package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.contract.spring.DeadlineRebuildProperties;
import io.janela.metrics.config.MetricsProperties;
import io.janela.metrics.streams.MeasurementTopics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The summary endpoints' bad requests over HTTP: a 400 with a problem detail, never a server error.
 */
class SummaryControllerTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    /** The service's defaults, as far as the summary reads them. */
    static final MetricsProperties PROPERTIES = new MetricsProperties(
            MeasurementTopics.Names.defaults(),
            6,
            (short) -1,
            Duration.ofDays(30),
            Duration.ofSeconds(30),
            Duration.ofHours(48),
            1000,
            Duration.ofDays(8),
            Duration.ofSeconds(1),
            10_000,
            10_000,
            new MetricsProperties.Summary(Duration.ofMinutes(5), Duration.ofDays(35), Duration.ofHours(24), 100, 20),
            new MetricsProperties.Recorder(
                    "janela-metrics-recorder",
                    Duration.ofMillis(500),
                    Duration.ofMinutes(10),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(45)),
            new MetricsProperties.BusinessHours(List.of()),
            new MetricsProperties.Sla(0.8, List.of(), List.of()),
            Duration.ofHours(24),
            new DeadlineRebuildProperties(Duration.ofMillis(1), 100_000, Duration.ofMillis(50)));

    /**
     * No Kafka Streams behind it: every request here is refused before a store is read. What a peer gets from a real
     * store, and the 503 for a standby copy, are {@link SummaryStoreQueriesIT}'s part.
     */
    private final WebTestClient http = WebTestClient.bindToController(new SummaryController(
                    new SummaryQuery(() -> null, new SummarySettings(Duration.ofMinutes(5), Duration.ofDays(35))),
                    new SummaryPeers(() -> null, null),
                    Clock.fixed(NOW, ZoneOffset.UTC),
                    PROPERTIES))
            .build();

    @Test
    void anAgentIdLongerThanTheSummaryKeepsIsABadRequest() {
        http.get()
                .uri("/metrics/summary?phoneNumberId=106540352242922&agentId=" + "a".repeat(129))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("agentId is longer than the 128 characters the summary keeps");
    }

    @Test
    void aPartitionListThatIsNotPartitionNumbersIsABadRequest() {
        http.get()
                .uri("/metrics/summary/partial?phoneNumberId=106540352242922&partitions=0,x")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("partitions must be partition numbers separated by commas, such as 0,2,4");
    }

    @Test
    void anInstantBeyondWhatEpochMillisecondsCanHoldIsABadRequestWithAProblemDetail() {
        http.get()
                // A valid ISO-8601 instant (Instant.parse takes it), '+' sent encoded.
                .uri(URI.create("/metrics/summary?phoneNumberId=106540352242922&to=%2B300000000-01-01T00:00:00Z"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.title")
                .isEqualTo("Invalid summary request")
                .jsonPath("$.detail")
                .isEqualTo("to must lie between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z, in the years 0000 to"
                        + " 9999");
    }

    @Test
    void anInstantBeyondWhatEpochMillisecondsCanHoldIsABadRequestForAnotherInstancesPartToo() {
        http.get()
                .uri(URI.create(
                        "/metrics/summary/partial?phoneNumberId=106540352242922&from=%2B300000000-01-01T00:00:00Z"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).startsWith("from must lie between"));
    }
}
