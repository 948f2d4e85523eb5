package io.janela.metrics;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.BEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.WindowOpenedMeasurement;
import io.janela.metrics.testing.InputProducer;
import io.janela.metrics.testing.PrometheusText;
import io.janela.metrics.testing.ServiceHttp;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testfixtures.MetaRecords;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.janela.testsupport.kafka.TopicReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * A restart of the service, on a new disk, does not count a measurement twice, as Prometheus sees it: a counter in
 * the new process starts at zero (Prometheus takes it for a reset and counts what the new process adds), the Streams
 * topology does not emit again what it emitted (exactly-once, state restored from its changelogs), and the recorder
 * reads again only what no scrape had shown before the restart.
 */
class MetricsRestartIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String SCOPE = "metrics-restart-it";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final String OPENED = "janela_windows_opened_total";

    private final String stateDir = "target/it-state/restart-" + UUID.randomUUID();

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void aRestartedServiceCountsWhatNoScrapeHadShownAndNothingTwice() {
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
        double firstTimeBeforeRestart;
        try (InputProducer input = new InputProducer(kafka.bootstrapServers(), "mock://" + SCOPE)) {
            try (ConfigurableApplicationContext first = start()) {
                // Ana's window opens; a scrape shows it.
                input.send(MetaRecords.customerMessage(ANA, "wamid.ana-1", base));
                input.send(MetaRecords.opened(ANA, base, "wamid.ana-1", true));
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(scrape(first).sum(OPENED, "opened_by", "first_time_contact"))
                                .isEqualTo(1));
                firstTimeBeforeRestart = scrape(first).sum(OPENED, "opened_by", "first_time_contact");

                // Ben's window opens and is recorded, but the process stops before any scrape shows it.
                input.send(MetaRecords.customerMessage(BEN, "wamid.ben-1", base.plusSeconds(60)));
                input.send(MetaRecords.opened(BEN, base.plusSeconds(60), "wamid.ben-1", false));
                MeterRegistry meters = first.getBean(MeterRegistry.class);
                await().atMost(TIMEOUT)
                        .untilAsserted(() ->
                                assertThat(counted(meters, "returning_contact")).isEqualTo(1));
            }

            // The new process starts on a new disk: its states come back from their changelogs, and the deadline
            // indexes (which have none) are rebuilt from them.
            FileSystemUtils.deleteRecursively(Path.of(stateDir).toFile());
            try (ConfigurableApplicationContext second = start()) {
                // The new process re-reads Ben's window (never scraped) and not Ana's (scraped).
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(scrape(second).sum(OPENED, "opened_by", "returning_contact"))
                                .isEqualTo(1));
                PrometheusText afterRestart = scrape(second);
                assertThat(afterRestart.sum(OPENED, "opened_by", "first_time_contact"))
                        .isZero();

                // New measurements count from there.
                input.send(MetaRecords.closed(ANA, base, base.plus(MetaRecords.WINDOW), false));
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(scrape(second).sum("janela_windows_closed_total"))
                                .isEqualTo(1));
                PrometheusText last = scrape(second);

                // What Prometheus adds up over both processes (the last value before the reset, plus the new
                // process's values) equals the measurements on the topic: each once.
                assertThat(firstTimeBeforeRestart + last.sum(OPENED, "opened_by", "first_time_contact"))
                        .isEqualTo(1);
                assertThat(last.sum(OPENED, "opened_by", "returning_contact")).isEqualTo(1);
            }
        }
        try (TopicReader<String, WindowOpenedMeasurement> opened = TopicReader.open(
                kafka.bootstrapServers(),
                "whatsapp.metrics.windows-opened",
                new StringDeserializer(),
                new io.janela.serde.AvroDeserializer<>(WindowOpenedMeasurement.class) {
                    {
                        configure(java.util.Map.of("schema.registry.url", "mock://" + SCOPE), false);
                    }
                })) {
            assertThat(opened.awaitRecords(2, TIMEOUT)).hasSize(2);
            opened.assertNoMoreRecords(Duration.ofSeconds(3));
        }
    }

    /** Starts the service as its main would, with command-line settings (they win over application.yml). */
    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MetricsApplication.class)
                .run(
                        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--spring.kafka.properties.schema.registry.url=mock://" + SCOPE,
                        "--spring.kafka.streams.state-dir=" + stateDir,
                        "--spring.kafka.streams.properties.commit.interval.ms=100",
                        "--server.port=0",
                        "--janela.metrics.topic-partitions=2",
                        "--janela.metrics.settle-delay=500ms",
                        "--janela.metrics.punctuation-interval=200ms",
                        "--janela.metrics.recorder.poll-timeout=200ms");
    }

    private static PrometheusText scrape(ConfigurableApplicationContext context) {
        return ServiceHttp.of(context).scrape();
    }

    private static double counted(MeterRegistry meters, String openedBy) {
        Counter counter =
                meters.find("janela.windows.opened").tag("opened_by", openedBy).counter();
        return counter == null ? 0 : counter.count();
    }
}
