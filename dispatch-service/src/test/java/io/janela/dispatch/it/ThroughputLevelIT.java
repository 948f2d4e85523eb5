package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.WABA_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.ThroughputLevel;
import io.janela.contract.AccountEventKey;
import io.janela.dispatch.Fixtures;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sender paces a business number at the throughput level Meta reports for it: a THROUGHPUT HIGH account event, in
 * Meta's shape (the number named by its display number only), raises the rate the pacer is given from the configured
 * limit to {@code throughput-levels.high}; an older STANDARD report read after it changes nothing.
 */
class ThroughputLevelIT {

    private static final int CONFIGURED = 5;
    private static final int HIGH = 12;

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    static DispatchEnvironment environment;

    @BeforeAll
    static void start() {
        environment = new DispatchEnvironment(
                kafka.broker(),
                "dispatch-throughput-level-it",
                CONFIGURED,
                Map.of(
                        "janela.dispatch.template-sync.enabled",
                        false,
                        "janela.dispatch.business-numbers[0].display-phone-number",
                        "+1 555 078 3881",
                        "janela.dispatch.sender.throughput-levels.high",
                        HIGH));
        environment.startService();
    }

    @AfterAll
    static void stop() {
        environment.close();
    }

    @Test
    void aThroughputUpgradeRaisesTheNumbersRateAndAnOlderDowngradeDoesNotLowerIt() {
        MeterRegistry meters = environment.app().getBean(MeterRegistry.class);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(rate(meters))
                        .as("the configured limit, while Meta has reported nothing")
                        .isEqualTo(new Rate(CONFIGURED, "configured")));

        Instant upgradedAt = Instant.now().minusSeconds(60);
        send(throughput(ThroughputLevel.HIGH, upgradedAt));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(rate(meters)).isEqualTo(new Rate(HIGH, "high")));

        send(throughput(ThroughputLevel.STANDARD, upgradedAt.minusSeconds(3600)));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(rate(meters))
                        .as("an older report read later")
                        .isEqualTo(new Rate(HIGH, "high")));
        assertThat(meters.get("janela.dispatch.throughput.reports")
                        .tags(
                                "phone_number_id",
                                Fixtures.PHONE_NUMBER_ID,
                                "throughput_level",
                                "high",
                                "matched",
                                "true")
                        .counter()
                        .count())
                .as("the report the alert JanelaThroughputLevelNotFollowed reads, matched by display number")
                .isEqualTo(1.0);
        assertThat(environment.recordExposedMetrics()).contains("janela_dispatch_throughput_reports_total");
    }

    record Rate(double perSecond, String level) {}

    /** What this instance aims at for the number (it holds every partition): the rate the pacer is given. */
    static Rate rate(MeterRegistry meters) {
        Gauge gauge = meters.find("janela.dispatch.throughput.rate")
                .tag("phone_number_id", Fixtures.PHONE_NUMBER_ID)
                .gauge();
        return gauge == null ? null : new Rate(gauge.value(), gauge.getId().getTag("throughput_level"));
    }

    private static void send(AccountEvent event) {
        environment.send(environment.topics.accountEvents().name(), AccountEventKey.of(event), event);
    }

    /** As the ingress maps phone_number_quality_update THROUGHPUT_UPGRADE / _DOWNGRADE: no phone number id. */
    private static AccountEvent throughput(ThroughputLevel level, Instant at) {
        return report(level, at).setDisplayPhoneNumber("15550783881").build();
    }

    /** A THROUGHPUT report of the fixture's account at Meta's time {@code at}, the number not named yet. */
    static AccountEvent.Builder report(ThroughputLevel level, Instant at) {
        return AccountEvent.newBuilder()
                .setKind(AccountEventKind.THROUGHPUT)
                .setField("phone_number_quality_update")
                .setEvent(level == ThroughputLevel.HIGH ? "THROUGHPUT_UPGRADE" : "THROUGHPUT_DOWNGRADE")
                .setWabaId(WABA_ID)
                .setThroughputLevel(level)
                .setTimestamp(at)
                .setRawJson("{}");
    }
}
