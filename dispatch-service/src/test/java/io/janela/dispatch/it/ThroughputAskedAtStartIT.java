package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.AccountEvent;
import io.janela.avro.ThroughputLevel;
import io.janela.contract.AccountEventKey;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * At start the sender asks Meta (the Cloud API sandbox, which answers HIGH for the number) for the number's throughput
 * level and paces it at {@code throughput-levels.high} before any report on whatsapp.account-events; a report older
 * than the question changes nothing, a newer one wins.
 */
class ThroughputAskedAtStartIT {

    private static final int CONFIGURED = 5;
    private static final int STANDARD = 7;
    private static final int HIGH = 12;

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    static DispatchEnvironment environment;
    static Instant started;

    @BeforeAll
    static void start() {
        environment = new DispatchEnvironment(
                kafka.broker(),
                "dispatch-throughput-asked-it",
                CONFIGURED,
                Map.of(
                        "janela.dispatch.template-sync.enabled",
                        false,
                        "janela.dispatch.sender.throughput-levels.ask-at-start",
                        true,
                        "janela.dispatch.sender.throughput-levels.standard",
                        STANDARD,
                        "janela.dispatch.sender.throughput-levels.high",
                        HIGH),
                Map.of("janela.sandbox.phone-numbers[0].throughput-level", "HIGH"));
        started = Instant.now();
        environment.startService();
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    @Test
    void theNumberIsPacedAtTheLevelMetaAnswersAtStartUntilANewerReport() {
        MeterRegistry meters = environment.app().getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(ThroughputLevelIT.rate(meters))
                        .as("Meta's answer, without any report on the topic")
                        .isEqualTo(new ThroughputLevelIT.Rate(HIGH, "high")));
        assertThat(meters.get("janela.dispatch.throughput.asked")
                        .tag("outcome", "answered")
                        .counter()
                        .count())
                .isEqualTo(1.0);

        send(throughput(ThroughputLevel.STANDARD, started.minusSeconds(3600)));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(ThroughputLevelIT.rate(meters))
                        .as("a report older than the question")
                        .isEqualTo(new ThroughputLevelIT.Rate(HIGH, "high")));

        send(throughput(ThroughputLevel.STANDARD, Instant.now().plusSeconds(1)));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(ThroughputLevelIT.rate(meters))
                        .as("Meta's report after the question")
                        .isEqualTo(new ThroughputLevelIT.Rate(STANDARD, "standard")));
        assertThat(environment.recordExposedMetrics()).contains("janela_dispatch_throughput_asked_total");
    }

    private static void send(AccountEvent event) {
        environment.send(environment.topics.accountEvents().name(), AccountEventKey.of(event), event);
    }

    private static AccountEvent throughput(ThroughputLevel level, Instant at) {
        return ThroughputLevelIT.report(level, at)
                .setPhoneNumberId(PHONE_NUMBER_ID)
                .build();
    }
}
