package io.janela.metrics;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.BEN;
import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.Origin;
import io.janela.metrics.summary.SummaryReport;
import io.janela.metrics.testing.InputProducer;
import io.janela.metrics.testing.PrometheusText;
import io.janela.metrics.testing.ServiceHttp;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testfixtures.MetaRecords;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * After an outage longer than a window, a customer message the window-service reports as LATE (it opened nothing)
 * still reaches the response-rate funnel, on a real broker: a retroactive window flagged {@code late="true"} in the
 * Prometheus counters, and in the summary in the bucket of its event time.
 */
class LateWindowsIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String SCOPE = "metrics-late-windows-it";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private ConfigurableApplicationContext service;
    private ServiceHttp http;

    @BeforeEach
    void start() {
        service = new SpringApplicationBuilder(MetricsApplication.class)
                .run(
                        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--spring.kafka.properties.schema.registry.url=mock://" + SCOPE,
                        "--spring.kafka.streams.state-dir=target/it-state/late-" + UUID.randomUUID(),
                        "--spring.kafka.streams.properties.commit.interval.ms=100",
                        "--server.port=0",
                        "--janela.metrics.topic-partitions=2",
                        "--janela.metrics.settle-delay=1s",
                        "--janela.metrics.punctuation-interval=200ms",
                        "--janela.metrics.recorder.poll-timeout=200ms");
        http = ServiceHttp.of(service);
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void aMessageAnOutageHeldPastItsWindowCountsInTheResponseRateAsALateWindowInItsEventTimeBucket() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        // Ana wrote 30 hours ago, during an outage; her message reaches Kafka only now, and the window-service, for
        // which her window would be over, opened nothing and told it as LATE.
        Instant anaWrote = now.minus(Duration.ofHours(30));
        // Ben's conversation went as usual: opened 26 hours ago, answered by an agent, closed 2 hours ago.
        Instant benWrote = now.minus(Duration.ofHours(26));
        try (InputProducer input = new InputProducer(kafka.bootstrapServers(), "mock://" + SCOPE)) {
            input.send(MetaRecords.customerMessage(BEN, "wamid.ben-1", benWrote));
            input.send(MetaRecords.opened(BEN, benWrote, "wamid.ben-1", true));
            input.send(MetaRecords.sent(BEN, "request-ben-1", "wamid.agent-1", Origin.AGENT, benWrote.plusSeconds(90))
                    .build());
            input.send(MetaRecords.closed(BEN, benWrote, benWrote.plus(MetaRecords.WINDOW), true));
            input.send(MetaRecords.customerMessage(ANA, "wamid.ana-1", anaWrote));
            input.send(MetaRecords.late(ANA, anaWrote, "wamid.ana-1", true));
        }

        await().atMost(TIMEOUT).untilAsserted(() -> {
            PrometheusText scrape = scrape();
            assertThat(scrape.sum("janela_windows_closed_total", "phone_number_id", PHONE_NUMBER_ID))
                    .isEqualTo(2);
            assertThat(scrape.sum("janela_windows_opened_total", "phone_number_id", PHONE_NUMBER_ID))
                    .isEqualTo(2);
        });
        PrometheusText scrape = scrape();
        assertThat(scrape.sum(
                        "janela_windows_closed_total",
                        "late",
                        "true",
                        "outcome",
                        "unreplied",
                        "customer_waiting",
                        "true",
                        "close_reason",
                        "expired"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_windows_closed_total", "late", "false", "outcome", "replied"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_windows_opened_total", "late", "true", "opened_by", "first_time_contact"))
                .isEqualTo(1);
        // Response rate over everything: 1 replied of 2 closed; the late one is in it.
        assertThat(scrape.sum("janela_windows_closed_total", "outcome", "replied")
                        / scrape.sum("janela_windows_closed_total"))
                .isEqualTo(0.5);

        // The summary puts each measurement in the bucket of its event time: Ana's window opened 30 hours ago.
        SummaryReport atTheOutage =
                summary(anaWrote.minus(Duration.ofMinutes(5)), anaWrote.plus(Duration.ofMinutes(5)));
        assertThat(atTheOutage.windows().opened()).isEqualTo(1);
        assertThat(atTheOutage.windows().closed()).isZero();
        SummaryReport whole = summary(now.minus(Duration.ofHours(31)), now);
        assertThat(whole.windows().closed()).isEqualTo(2);
        assertThat(whole.windows().expiredWhileCustomerWaiting()).isEqualTo(1);
        assertThat(whole.responseRate()).isEqualTo(0.5);
    }

    private PrometheusText scrape() {
        return http.scrape();
    }

    private SummaryReport summary(Instant from, Instant to) {
        return http.summary(PHONE_NUMBER_ID, from, to);
    }
}
