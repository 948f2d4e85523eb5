package io.janela.metrics;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.BEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.WindowOpenedMeasurement;
import io.janela.metrics.streams.MeasurementTopics;
import io.janela.metrics.testing.InputProducer;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testfixtures.MetaRecords;
import io.janela.testsupport.kafka.RetentionCheck;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * A measurement of an event Meta dated long ago stays readable for the whole retention of its topic from the moment
 * it is written. The measurement topics keep records 10 minutes here, the broker checks retention every 200 ms and
 * rolls segments after 100 ms; a window opened two days ago (a backlog replayed after an outage) is measured. Were the
 * measurement dated with its {@code occurredAt}, as the service wrote it before, retention would delete it within a
 * second of its commit, before the recorder or any replay read it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.properties.schema.registry.url=" + OldDatedMeasurementRetentionIT.REGISTRY,
            "spring.kafka.streams.state-dir=target/it-state/${random.uuid}",
            "spring.kafka.streams.properties.commit.interval.ms=100",
            // One partition: both contacts' measurements share it, so the second one's rolls the first one's segment.
            "janela.metrics.topic-partitions=1",
            "janela.metrics.measurement-retention=10m",
            "janela.metrics.settle-delay=1s",
            "janela.metrics.punctuation-interval=200ms"
        })
@UsesKafkaBroker(brokerProperties = {"log.retention.check.interval.ms=200", "log.roll.ms=100"})
class OldDatedMeasurementRetentionIT {

    static final String REGISTRY = "mock://metrics-old-dated-retention-it";
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final Duration AWAIT = Duration.ofSeconds(90);

    @Autowired
    Environment environment;

    @Autowired
    MeasurementTopics measurementTopics;

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope("metrics-old-dated-retention-it");
    }

    @Test
    void aWindowOpenedTwoDaysAgoIsMeasuredAndItsMeasurementStillReadAfterRetentionRan() throws Exception {
        Instant openedAt = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        String topic = measurementTopics.windowsOpened().name();
        long writtenFrom = System.currentTimeMillis();
        try (InputProducer input = new InputProducer(bootstrapServers(), REGISTRY)) {
            input.send(MetaRecords.customerMessage(ANA, "wamid.ana-old", openedAt));
            input.send(MetaRecords.opened(ANA, openedAt, "wamid.ana-old", true));
            // Written (not read: reading could beat retention to it), then retention runs...
            await().atMost(AWAIT).until(() -> RetentionCheck.endOffset(bootstrapServers(), topic) > 0);
            RetentionCheck.awaitRun(bootstrapServers(), RETENTION, AWAIT);
            // ...and again after Ben's measurement rolled the segment of Ana's.
            long before = RetentionCheck.endOffset(bootstrapServers(), topic);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            input.send(MetaRecords.customerMessage(BEN, "wamid.ben-now", now));
            input.send(MetaRecords.opened(BEN, now, "wamid.ben-now", true));
            await().atMost(AWAIT).until(() -> RetentionCheck.endOffset(bootstrapServers(), topic) > before);
            RetentionCheck.awaitRun(bootstrapServers(), RETENTION, AWAIT);
        }

        try (TopicReader<String, WindowOpenedMeasurement> opened = TopicReader.open(
                bootstrapServers(),
                topic,
                new StringDeserializer(),
                measurementTopics.windowsOpened().valueSerde().deserializer())) {
            List<ConsumerRecord<String, WindowOpenedMeasurement>> records = opened.awaitRecords(2, AWAIT);
            assertThat(records).extracting(ConsumerRecord::key).containsExactly(ANA.key(), BEN.key());
            ConsumerRecord<String, WindowOpenedMeasurement> old = records.getFirst();
            assertThat(old.value().getOccurredAt())
                    .as("the event time, in the value")
                    .isEqualTo(openedAt);
            assertThat(old.timestamp()).as("the time it was written").isGreaterThanOrEqualTo(writtenFrom);
        }
    }

    private String bootstrapServers() {
        return environment.getRequiredProperty("spring.kafka.bootstrap-servers");
    }
}
