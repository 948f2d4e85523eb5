package io.janela.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.metrics.summary.SummaryReport;
import io.janela.metrics.testing.InputProducer;
import io.janela.metrics.testing.ServiceHttp;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testfixtures.MetaRecords;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * {@code GET /metrics/summary} on two instances that hold standby copies of the summary store
 * ({@code num.standby.replicas=1}, as deployed): each partition is read on the instance serving it actively, so the
 * summary is whole on either instance, whichever holds standbys.
 */
class SummaryAcrossInstancesIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String SCOPE = "summary-across-instances-it";
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int CONTACTS = 6;

    private final String stateDir = "target/it-state/summary-" + UUID.randomUUID();

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void eitherInstanceAnswersTheWholeSummaryWhileItHoldsStandbyCopies() {
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(1));
        int firstPort = freePort();
        int secondPort = freePort();
        try (ConfigurableApplicationContext first = start("first", firstPort);
                ConfigurableApplicationContext second = start("second", secondPort)) {
            try (InputProducer input = new InputProducer(kafka.bootstrapServers(), "mock://" + SCOPE)) {
                for (int i = 0; i < CONTACTS; i++) {
                    MetaRecords.Contact contact = new MetaRecords.Contact("US.10" + i, "165055500" + i);
                    Instant openedAt = base.plusSeconds(i);
                    input.send(MetaRecords.customerMessage(contact, "wamid.c" + i, openedAt));
                    input.send(MetaRecords.opened(contact, openedAt, "wamid.c" + i, true));
                }
            }
            // The instance that joined second holds standby copies (a new member is not caught up: the first keeps
            // the active tasks, the second warms up standbys of them).
            await().atMost(TIMEOUT).until(() -> holdsStandbys(first) || holdsStandbys(second));

            for (int port : new int[] {firstPort, secondPort}) {
                await().atMost(TIMEOUT)
                        .untilAsserted(() -> assertThat(summary(port, base)).satisfies(summary -> {
                            assertThat(summary.windows().opened()).isEqualTo(CONTACTS);
                            assertThat(summary.windows().openedByFirstTimeContacts())
                                    .isEqualTo(CONTACTS);
                        }));
            }
        }
    }

    private ConfigurableApplicationContext start(String name, int port) {
        return new SpringApplicationBuilder(MetricsApplication.class)
                .run(
                        "--spring.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--spring.kafka.properties.schema.registry.url=mock://" + SCOPE,
                        "--spring.kafka.streams.state-dir=" + stateDir + "/" + name,
                        "--spring.kafka.streams.properties.commit.interval.ms=100",
                        "--spring.kafka.streams.properties.num.standby.replicas=1",
                        "--spring.kafka.streams.properties.application.server=localhost:" + port,
                        "--server.port=" + port,
                        "--janela.metrics.topic-partitions=2",
                        "--janela.metrics.settle-delay=500ms",
                        "--janela.metrics.punctuation-interval=200ms",
                        "--janela.metrics.recorder.poll-timeout=200ms",
                        // Nobody scrapes here: the recorders hand partitions over without waiting for a scrape.
                        "--janela.metrics.recorder.handover-scrape-wait=0s");
    }

    private static boolean holdsStandbys(ConfigurableApplicationContext context) {
        KafkaStreams streams = context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        return streams != null
                && streams.state() == KafkaStreams.State.RUNNING
                && streams.metadataForLocalThreads().stream()
                        .map(ThreadMetadata::standbyTasks)
                        .anyMatch(tasks -> !tasks.isEmpty());
    }

    private static SummaryReport summary(int port, Instant base) {
        return new ServiceHttp(port)
                .summary(MetaRecords.PHONE_NUMBER_ID, base.minus(Duration.ofHours(1)), base.plus(Duration.ofHours(1)));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
