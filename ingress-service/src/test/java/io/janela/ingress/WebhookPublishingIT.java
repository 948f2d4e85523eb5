package io.janela.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.janela.avro.AccountEvent;
import io.janela.avro.CallEvent;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.TemplateEvent;
import io.janela.avro.UserPreference;
import io.janela.contract.DeadLetterHeaders;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.ingress.parse.MappedRecord;
import io.janela.ingress.parse.RecordKind;
import io.janela.ingress.parse.WebhookParser;
import io.janela.ingress.signature.SignatureVerifier;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import io.janela.testsupport.metrics.ExposedMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
 * The service as Meta sees it, against a real broker. Every test writes under its own business phone number id, so
 * that tests sharing the broker can tell their records apart.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.properties.schema.registry.url=mock://" + WebhookPublishingIT.SCOPE,
            "janela.ingress.app-secrets=" + TestWebhooks.APP_SECRET + ",previous-app-secret",
            "janela.ingress.verify-token=" + TestWebhooks.VERIFY_TOKEN,
            "janela.ingress.max-body-size=64KB",
            "janela.ingress.topics.partitions=3",
            // Any retention of the test's choosing, to see it applied to the topics the service creates.
            "janela.ingress.topics.retention=36500d"
        })
@AutoConfigureWebTestClient
@UsesKafkaBroker
class WebhookPublishingIT {

    static final String SCOPE = "webhook-publishing-it";
    private static final String PATH = "/webhooks/whatsapp";
    private static final Duration BROKER_ROUND_TRIP = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofSeconds(3);
    private static final AtomicInteger TEST_NUMBERS = new AtomicInteger();

    @Autowired
    WebTestClient http;

    @Autowired
    JanelaTopics topics;

    @Autowired
    Environment environment;

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void landsASignedMixedBatchOnTheRightTopicsWithTheRightKeysValuesAndTimestamps() {
        Webhook webhook = Webhook.of("batches/mixed-batch.json");
        List<MappedRecord> expected = new WebhookParser().parse(webhook.body()).records();
        Counts before = counts();
        long accountEventsBefore = recordsIn(topics.accountEvents());
        long sentAt = System.currentTimeMillis();

        post(webhook.body(), TestWebhooks.signature(webhook.body()))
                .expectStatus()
                .isOk();
        Posted posted = new Posted(sentAt, System.currentTimeMillis());

        assertLanded(topics.inboundMessages(), before.inbound, expected, RecordKind.INBOUND_MESSAGE, webhook, posted);
        assertLanded(topics.messageStatuses(), before.statuses, expected, RecordKind.MESSAGE_STATUS, webhook, posted);
        assertLanded(
                topics.userPreferences(), before.preferences, expected, RecordKind.USER_PREFERENCE, webhook, posted);
        assertLanded(topics.templateEvents(), before.templates, expected, RecordKind.TEMPLATE_EVENT, webhook, posted);
        assertLanded(topics.accountEvents(), accountEventsBefore, expected, RecordKind.ACCOUNT_EVENT, webhook, posted);
        assertThat(expected)
                .extracting(MappedRecord::kind)
                .containsOnly(
                        RecordKind.INBOUND_MESSAGE,
                        RecordKind.MESSAGE_STATUS,
                        RecordKind.USER_PREFERENCE,
                        RecordKind.TEMPLATE_EVENT,
                        RecordKind.ACCOUNT_EVENT)
                .hasSize(9);
    }

    @Test
    void landsCallsAppEchoesAndAccountEventsOnTheirTopicsTheAccountsOnACompactedOne() throws Exception {
        Webhook webhook = Webhook.of("batches/calls-echoes-account-events.json");
        List<MappedRecord> expected = new WebhookParser().parse(webhook.body()).records();
        long calls = recordsIn(topics.callEvents());
        long echoes = recordsIn(topics.messageEchoes());
        long accountEvents = recordsIn(topics.accountEvents());
        long sentAt = System.currentTimeMillis();

        post(webhook.body(), TestWebhooks.signature(webhook.body()))
                .expectStatus()
                .isOk();
        Posted posted = new Posted(sentAt, System.currentTimeMillis());

        assertLanded(topics.callEvents(), calls, expected, RecordKind.CALL_EVENT, webhook, posted);
        assertLanded(topics.messageEchoes(), echoes, expected, RecordKind.MESSAGE_ECHO, webhook, posted);
        assertLanded(topics.accountEvents(), accountEvents, expected, RecordKind.ACCOUNT_EVENT, webhook, posted);
        assertThat(expected)
                .extracting(MappedRecord::kind, MappedRecord::key)
                .containsExactly(
                        tuple(RecordKind.CALL_EVENT, webhook.marker() + "5403522429" + "22:US.13491208655302741918"),
                        tuple(RecordKind.CALL_EVENT, webhook.marker() + "5403522429" + "22:US.13491208655302741918"),
                        tuple(RecordKind.MESSAGE_ECHO, webhook.marker() + "5403522429" + "22:US.13491208655302741918"),
                        tuple(
                                RecordKind.ACCOUNT_EVENT,
                                webhook.marker() + "2901293403" + "98:RESTRICTION:1765000900000"),
                        tuple(
                                RecordKind.ACCOUNT_EVENT,
                                webhook.marker() + "2901293403" + "98:MESSAGING_LIMIT:1765001000000"),
                        tuple(
                                RecordKind.ACCOUNT_EVENT,
                                webhook.marker() + "5403522429" + "22:USER_ID_CHANGE:US.13491208655302741918"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(
                    ConfigResource.Type.TOPIC, topics.accountEvents().name());
            assertThat(admin.describeConfigs(List.of(topic))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(topic)
                            .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                            .value())
                    .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    @Test
    void landsARetriedDeliveryAsIdenticalRecords() {
        Webhook webhook = Webhook.of("messages/text-with-referral.json");
        long before = recordsIn(topics.inboundMessages());

        post(webhook.body(), TestWebhooks.signature(webhook.body()))
                .expectStatus()
                .isOk();
        post(webhook.body(), TestWebhooks.signature(webhook.body()))
                .expectStatus()
                .isOk();

        try (TopicReader<String, byte[]> reader = bytesReader(topics.inboundMessages())) {
            List<ConsumerRecord<String, byte[]>> mine =
                    webhook.mine(reader.awaitRecords((int) before + 2, BROKER_ROUND_TRIP));
            assertThat(mine).hasSize(2);
            assertThat(mine.get(1).key()).isEqualTo(mine.get(0).key());
            assertThat(mine.get(1).value()).isEqualTo(mine.get(0).value());
            // The record timestamp is the time of each delivery (Meta's time is in the value).
            assertThat(mine.get(1).timestamp())
                    .isGreaterThanOrEqualTo(mine.get(0).timestamp());
            assertThat(mine.get(1).partition()).isEqualTo(mine.get(0).partition());
        }
    }

    @Test
    void acceptsAWebhookSignedWithThePreviousAppSecret() {
        Webhook webhook = Webhook.of("messages/text.json");
        long before = recordsIn(topics.inboundMessages());

        post(webhook.body(), TestWebhooks.signature("previous-app-secret", webhook.body()))
                .expectStatus()
                .isOk();

        try (TopicReader<String, byte[]> reader = bytesReader(topics.inboundMessages())) {
            assertThat(webhook.mine(reader.awaitRecords((int) before + 1, BROKER_ROUND_TRIP)))
                    .hasSize(1);
        }
    }

    @Test
    void publishesNothingForAnUnsignedOrWronglySignedPost() {
        Webhook webhook = Webhook.of("batches/mixed-batch.json");
        Counts before = counts();

        http.post()
                .uri(PATH)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(webhook.body())
                .exchange()
                .expectStatus()
                .isUnauthorized();
        post(webhook.body(), TestWebhooks.signature("not-the-app-secret", webhook.body()))
                .expectStatus()
                .isUnauthorized();

        for (TopicDescriptor<?, ?> topic : List.of(
                topics.inboundMessages(),
                topics.messageStatuses(),
                topics.templateEvents(),
                topics.userPreferences(),
                topics.webhooksDeadLetter())) {
            try (TopicReader<String, byte[]> reader = bytesReader(topic)) {
                reader.awaitRecords((int) before.of(topic, topics), BROKER_ROUND_TRIP);
                reader.assertNoMoreRecords(QUIET);
            }
        }
    }

    @Test
    void landsAnUnparseableSignedBodyOnTheDeadLetterTopicAsRawBytesWithTheCause() {
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\""
                        + TEST_NUMBERS.incrementAndGet() + "\",\"changes\":[{\"field\":\"messages\" \"value\":{}}]}]}")
                .getBytes(StandardCharsets.UTF_8);
        long before = recordsIn(topics.webhooksDeadLetter());

        post(body, TestWebhooks.signature(body)).expectStatus().isOk();

        try (TopicReader<byte[], byte[]> reader = TopicReader.open(
                bootstrapServers(),
                topics.webhooksDeadLetter().name(),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            ConsumerRecord<byte[], byte[]> deadLetter =
                    reader.awaitRecords((int) before + 1, BROKER_ROUND_TRIP).stream()
                            .filter(record -> Arrays.equals(record.value(), body))
                            .findFirst()
                            .orElseThrow();
            assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("MALFORMED_JSON");
            assertThat(header(deadLetter, DeadLetterHeaders.CAUSE)).startsWith("not valid JSON (line 1, column");
            assertThat(header(deadLetter, DeadLetterHeaders.SERVICE)).isEqualTo("ingress-service");
            assertThat(header(deadLetter, DeadLetterHeaders.FAILED_AT)).isNotBlank();
            reader.assertNoMoreRecords(QUIET);
        }
    }

    @Test
    void refusesABodyAboveTheConfiguredLimitWith413() {
        byte[] body = new byte[64 * 1024 + 1];
        Arrays.fill(body, (byte) ' ');

        post(body, TestWebhooks.signature(body)).expectStatus().isEqualTo(413);
    }

    @Test
    void answersTheVerificationHandshake() {
        http.get()
                .uri(
                        PATH + "?hub.mode=subscribe&hub.verify_token={token}&hub.challenge=987654321",
                        TestWebhooks.VERIFY_TOKEN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .isEqualTo("987654321");
        http.get()
                .uri(PATH + "?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=987654321")
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void exposesItsMetricsToPrometheus() {
        Webhook webhook = Webhook.of("statuses/sent.json");
        post(webhook.body(), TestWebhooks.signature(webhook.body()))
                .expectStatus()
                .isOk();

        http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(metrics -> assertThat(ExposedMetrics.record(metrics))
                        .as("recorded for the deployment's check of the metrics its alerts and dashboards use")
                        .contains("janela_webhooks_received_total"))
                .value(metrics -> assertThat(metrics)
                        .contains(
                                "janela_webhooks_received_total{application=\"ingress-service\",outcome=\"accepted\"}",
                                "janela_webhook_records_published_total{application=\"ingress-service\",kind=\"message_status\"}",
                                "janela_webhook_signatures_rejected_total",
                                "janela_webhook_publish_duration_seconds_bucket",
                                "janela_webhook_deadletters_published_total",
                                "kafka_producer_record_send_total"));
    }

    @Test
    void createsItsTopicsWithRetentionFromMetasTimestampsAndRoomForWholeBodiesOnTheDeadLetterTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            ConfigResource inbound = new ConfigResource(
                    ConfigResource.Type.TOPIC, topics.inboundMessages().name());
            ConfigResource deadLetter = new ConfigResource(
                    ConfigResource.Type.TOPIC, topics.webhooksDeadLetter().name());
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(inbound, deadLetter)).all().get(30, TimeUnit.SECONDS);

            assertThat(configs.get(inbound).get(TopicConfig.RETENTION_MS_CONFIG).value())
                    .isEqualTo(Long.toString(Duration.ofDays(36500).toMillis()));
            assertThat(configs.get(deadLetter)
                            .get(TopicConfig.RETENTION_MS_CONFIG)
                            .value())
                    .isEqualTo(Long.toString(Duration.ofDays(30).toMillis()));
            assertThat(configs.get(deadLetter)
                            .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG)
                            .value())
                    .isEqualTo(Integer.toString(64 * 1024 + 64 * 1024));
            assertThat(admin.describeTopics(List.of(topics.inboundMessages().name()))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(topics.inboundMessages().name())
                            .partitions())
                    .hasSize(3);
        }
    }

    private void assertLanded(
            TopicDescriptor<String, ?> topic,
            long before,
            List<MappedRecord> expected,
            RecordKind kind,
            Webhook webhook,
            Posted posted) {
        List<MappedRecord> ofKind =
                expected.stream().filter(record -> record.kind() == kind).toList();
        try (TopicReader<String, ?> reader = TopicReader.open(
                bootstrapServers(),
                topic.name(),
                new StringDeserializer(),
                topic.valueSerde().deserializer())) {
            List<? extends ConsumerRecord<String, ?>> landed =
                    webhook.mine(reader.awaitRecords((int) before + ofKind.size(), BROKER_ROUND_TRIP));
            assertThat(landed).hasSize(ofKind.size());
            for (MappedRecord record : ofKind) {
                ConsumerRecord<String, ?> match = landed.stream()
                        // By their JSON form: Avro's equals of an array of records holding a timestamp-millis
                        // (AccountEvent.restrictions) throws "Unknown datum type java.time.Instant" (Avro 1.12).
                        .filter(candidate -> candidate
                                .value()
                                .toString()
                                .equals(record.value().toString()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("not on " + topic.name() + ": " + record));
                assertThat(match.key()).isEqualTo(record.key());
                // The time of the request, not Meta's (in the value): retention counts from the 200.
                assertThat(match.timestamp()).isBetween(posted.from(), posted.until());
                assertThat(match.value())
                        .isInstanceOfAny(
                                InboundMessage.class,
                                MessageStatus.class,
                                TemplateEvent.class,
                                UserPreference.class,
                                CallEvent.class,
                                MessageEcho.class,
                                AccountEvent.class);
            }
            reader.assertNoMoreRecords(QUIET);
        }
    }

    /** When a request was sent and when it was answered, in epoch milliseconds. */
    private record Posted(long from, long until) {}

    private WebTestClient.ResponseSpec post(byte[] body, String signature) {
        return http.mutate()
                .responseTimeout(BROKER_ROUND_TRIP)
                .build()
                .post()
                .uri(PATH)
                .contentType(MediaType.APPLICATION_JSON)
                .header(SignatureVerifier.HEADER, signature)
                .bodyValue(body)
                .exchange();
    }

    private TopicReader<String, byte[]> bytesReader(TopicDescriptor<?, ?> topic) {
        return TopicReader.open(
                bootstrapServers(), topic.name(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private long recordsIn(TopicDescriptor<?, ?> topic) {
        return KafkaTopics.recordsIn(bootstrapServers(), topic.name());
    }

    private Counts counts() {
        return new Counts(
                recordsIn(topics.inboundMessages()),
                recordsIn(topics.messageStatuses()),
                recordsIn(topics.templateEvents()),
                recordsIn(topics.userPreferences()),
                recordsIn(topics.webhooksDeadLetter()));
    }

    private String bootstrapServers() {
        return environment.getRequiredProperty("janela.test.kafka.bootstrap-servers");
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private record Counts(long inbound, long statuses, long templates, long preferences, long deadLetters) {
        long of(TopicDescriptor<?, ?> topic, JanelaTopics topics) {
            String name = topic.name();
            if (name.equals(topics.inboundMessages().name())) {
                return inbound;
            }
            if (name.equals(topics.messageStatuses().name())) {
                return statuses;
            }
            if (name.equals(topics.templateEvents().name())) {
                return templates;
            }
            if (name.equals(topics.userPreferences().name())) {
                return preferences;
            }
            return deadLetters;
        }
    }

    /**
     * A test webhook whose business phone numbers and accounts are replaced by ones unique to the test, so that its
     * records are recognisable by key among those of other tests.
     */
    private record Webhook(byte[] body, String marker) {

        static Webhook of(String path) {
            String marker = "77" + String.format("%04d", TEST_NUMBERS.incrementAndGet());
            String body = new String(TestWebhooks.load(path), StandardCharsets.UTF_8)
                    .replace("1065403522429", marker + "5403522429")
                    .replace("1022901293407", marker + "2901293407")
                    .replace("1022901293403", marker + "2901293403");
            return new Webhook(body.getBytes(StandardCharsets.UTF_8), marker);
        }

        <R extends ConsumerRecord<String, ?>> List<R> mine(List<R> records) {
            return records.stream()
                    .filter(record -> record.key().startsWith(marker))
                    .toList();
        }
    }
}
