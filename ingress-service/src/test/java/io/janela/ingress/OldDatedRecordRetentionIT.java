package io.janela.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessage;
import io.janela.contract.JanelaTopics;
import io.janela.ingress.signature.SignatureVerifier;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testsupport.kafka.RetentionCheck;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * An item Meta dated long ago (a delivery retried for days, a history sync, a clock far off) stays readable for the
 * topic's whole retention from its 200. The broker runs its retention check every 200 ms and rolls segments after
 * 100 ms, and the topics keep records 10 minutes: a record whose Kafka timestamp were Meta's time would be deleted
 * within a second of its acknowledgement.
 *
 * <p>That retention did run is shown by a control ({@link RetentionCheck}): a record written straight to a topic with
 * the same retention, with a timestamp two years old, must be gone before the ingress's record is read back.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.properties.schema.registry.url=mock://" + OldDatedRecordRetentionIT.SCOPE,
            "janela.ingress.app-secrets=" + TestWebhooks.APP_SECRET,
            "janela.ingress.verify-token=" + TestWebhooks.VERIFY_TOKEN,
            "janela.ingress.topics.partitions=1",
            "janela.ingress.topics.retention=10m"
        })
@AutoConfigureWebTestClient
@UsesKafkaBroker(brokerProperties = {"log.retention.check.interval.ms=200", "log.roll.ms=100"})
class OldDatedRecordRetentionIT {

    static final String SCOPE = "old-dated-record-retention-it";
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final Duration TWO_YEARS = Duration.ofDays(730);
    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @Autowired
    WebTestClient http;

    @Autowired
    JanelaTopics topics;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Environment environment;

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void keepsAnItemMetaDatedTwoYearsAgoReadableAfterItsSegmentRollsAndRetentionRuns() throws Exception {
        Instant metaTime = Instant.now().minus(TWO_YEARS).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long acceptedFrom = System.currentTimeMillis();
        post(textMessage("wamid.OLD-DATED-TWO-YEARS", metaTime));

        // Retention has run at least once since the old-dated item was acknowledged...
        RetentionCheck.awaitRun(bootstrapServers(), RETENTION, GENEROUS);
        // ...and again after a later record rolled the item's segment (both records go to the single partition).
        post(textMessage("wamid.DATED-NOW", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        RetentionCheck.awaitRun(bootstrapServers(), RETENTION, GENEROUS);

        try (TopicReader<String, InboundMessage> reader = TopicReader.open(
                bootstrapServers(),
                topics.inboundMessages().name(),
                new StringDeserializer(),
                topics.inboundMessages().valueSerde().deserializer())) {
            List<ConsumerRecord<String, InboundMessage>> records = reader.awaitRecords(2, GENEROUS);
            assertThat(records)
                    .extracting(record -> record.value().getMessageId())
                    .containsExactly("wamid.OLD-DATED-TWO-YEARS", "wamid.DATED-NOW");
            ConsumerRecord<String, InboundMessage> old = records.getFirst();
            assertThat(old.value().getTimestamp()).isEqualTo(metaTime);
            assertThat(old.timestamp()).isGreaterThanOrEqualTo(acceptedFrom);
        }
        assertThat(meters.get("janela.webhook.records.old-dated")
                        .tag("kind", "inbound_message")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    private void post(byte[] body) {
        http.mutate()
                .responseTimeout(GENEROUS)
                .build()
                .post()
                .uri("/webhooks/whatsapp")
                .contentType(MediaType.APPLICATION_JSON)
                .header(SignatureVerifier.HEADER, TestWebhooks.signature(body))
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk();
    }

    private static byte[] textMessage(String messageId, Instant metaTime) {
        return new String(TestWebhooks.load("messages/text.json"), StandardCharsets.UTF_8)
                .replace("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzTEXT", messageId)
                .replace("\"1749416383\"", "\"" + metaTime.getEpochSecond() + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private String bootstrapServers() {
        return environment.getRequiredProperty("janela.test.kafka.bootstrap-servers");
    }
}
