package io.janela.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.InboundMessage;
import io.janela.contract.JanelaTopics;
import io.janela.ingress.signature.SignatureVerifier;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
 * <p>That retention did run is shown by a control: a record written straight to a topic with the same retention, with
 * a timestamp two years old, must be gone before the ingress's record is read back.
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
    private static final String CONTROL_TOPIC = "retention-control";
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
        createControlTopic();

        // Retention has run at least once since the old-dated item was acknowledged...
        awaitControlDeleted();
        // ...and again after a later record rolled the item's segment (both records go to the single partition).
        post(textMessage("wamid.DATED-NOW", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        awaitControlDeleted();

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

    private void createControlTopic() throws Exception {
        try (Admin admin = admin()) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(CONTROL_TOPIC)) {
                admin.createTopics(List.of(new NewTopic(CONTROL_TOPIC, 1, (short) 1)
                                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(RETENTION.toMillis())))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Writes a record dated two years ago to the control topic and waits until retention has deleted it. */
    private void awaitControlDeleted() throws Exception {
        long offset;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
                new StringSerializer(),
                new StringSerializer())) {
            long twoYearsAgo = Instant.now().minus(TWO_YEARS).toEpochMilli();
            offset = producer.send(new ProducerRecord<>(CONTROL_TOPIC, 0, twoYearsAgo, "control", "control"))
                    .get(30, TimeUnit.SECONDS)
                    .offset();
        }
        await().atMost(GENEROUS).until(() -> earliestOffset(CONTROL_TOPIC) > offset);
    }

    private long earliestOffset(String topic) throws InterruptedException, ExecutionException, TimeoutException {
        TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = admin()) {
            return admin.listOffsets(Map.of(partition, OffsetSpec.earliest()))
                    .partitionResult(partition)
                    .get(30, TimeUnit.SECONDS)
                    .offset();
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    private String bootstrapServers() {
        return environment.getRequiredProperty("janela.test.kafka.bootstrap-servers");
    }
}
