package io.janela.ingress.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.CallEvent;
import io.janela.avro.CallEventType;
import io.janela.avro.CallStatus;
import io.janela.avro.EchoMessageType;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageEcho;
import io.janela.contract.DeadLetterHeaders;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.ingress.IngressApplication;
import io.janela.ingress.TestWebhooks;
import io.janela.ingress.parse.MappedRecord;
import io.janela.ingress.parse.WebhookParser;
import io.janela.ingress.publish.OutgoingRecords;
import io.janela.serde.registry.MockSchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookIngestionTest {

    private static final String SCOPE = "webhook-ingestion-test";
    private static final Instant NOW = Instant.parse("2025-07-01T00:00:00Z");

    private final JanelaTopics topics = JanelaTopics.create(
            TopicNames.defaults(), ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE)));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ScriptedPublisher publisher = new ScriptedPublisher();
    private final String inbound = topics.inboundMessages().name();
    private final String deadLetters = topics.webhooksDeadLetter().name();

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void publishesEveryRecordOfABatchToItsTopicWithTheIngestTimeAsTimestampAndAnswersAccepted() {
        byte[] body = TestWebhooks.load("batches/mixed-batch.json");
        List<MappedRecord> expected = new WebhookParser().parse(body).records();

        IngestionOutcome outcome = ingestion(NOW).ingest(body).join();

        assertThat(outcome).isEqualTo(new IngestionOutcome(IngestionOutcome.Status.ACCEPTED, 9));
        List<ProducerRecord<byte[], byte[]>> published = publisher.published();
        assertThat(published).hasSize(9);
        for (int i = 0; i < expected.size(); i++) {
            MappedRecord record = expected.get(i);
            ProducerRecord<byte[], byte[]> sent = published.get(i);
            assertThat(new String(sent.key(), StandardCharsets.UTF_8)).isEqualTo(record.key());
            // Meta's time stays in the value; the record timestamp is when this service took it, so that retention
            // counts from the 200 (Meta dated these items weeks before NOW).
            assertThat(sent.timestamp()).isEqualTo(NOW.toEpochMilli());
            assertThat(record.timestamp()).isBefore(NOW);
            assertThat(sent.partition()).isNull();
        }
        assertThat(published)
                .extracting(ProducerRecord::topic)
                .containsExactly(
                        inbound,
                        inbound,
                        inbound,
                        topics.messageStatuses().name(),
                        topics.messageStatuses().name(),
                        topics.userPreferences().name(),
                        topics.accountEvents().name(),
                        inbound,
                        topics.templateEvents().name());
        InboundMessage first = topics.inboundMessages()
                .valueSerde()
                .deserializer()
                .deserialize(inbound, published.getFirst().value());
        assertThat(first).isEqualTo(expected.getFirst().value());
        assertThat(counter("janela.webhook.records.published", "kind", "inbound_message"))
                .isEqualTo(4);
        assertThat(counter("janela.webhook.records.published", "kind", "template_event"))
                .isEqualTo(1);
        assertThat(counter("janela.webhook.records.old-dated", "kind", "inbound_message"))
                .isEqualTo(4);
        assertThat(counter("janela.webhook.records.published", "kind", "account_event"))
                .isEqualTo(1);
        assertThat(meters.find("janela.webhook.changes.ignored").counters())
                .allSatisfy(ignored -> assertThat(ignored.count()).isZero());
        assertThat(counter("janela.webhook.values.unrecognised", "field", "message_type"))
                .isEqualTo(1);
        assertThat(meters.get("janela.webhook.publish.duration")
                        .tag("outcome", "acknowledged")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void publishesAnItemMetaDatedTwoYearsAgoAndCountsItAsOldDated() {
        byte[] body = TestWebhooks.load("messages/text.json");
        Instant metaTime = new WebhookParser().parse(body).records().getFirst().timestamp();
        Instant twoYearsLater = metaTime.plus(Duration.ofDays(730));

        IngestionOutcome outcome = ingestion(twoYearsLater).ingest(body).join();

        assertThat(outcome).isEqualTo(new IngestionOutcome(IngestionOutcome.Status.ACCEPTED, 1));
        assertThat(publisher.published().getFirst().timestamp()).isEqualTo(twoYearsLater.toEpochMilli());
        assertThat(counter("janela.webhook.records.old-dated", "kind", "inbound_message"))
                .isEqualTo(1);
    }

    @Test
    void doesNotCountAnItemThatArrivesWithinADayOfItsDateAsOldDated() {
        byte[] body = TestWebhooks.load("messages/text.json");
        Instant metaTime = new WebhookParser().parse(body).records().getFirst().timestamp();

        ingestion(metaTime.plus(Duration.ofHours(23))).ingest(body).join();

        assertThat(counter("janela.webhook.records.published", "kind", "inbound_message"))
                .isEqualTo(1);
        assertThat(counter("janela.webhook.records.old-dated", "kind", "inbound_message"))
                .isZero();
        assertThat(counter("janela.webhook.records.old-dated", "kind", "message_status"))
                .isZero();
    }

    @Test
    void preRegistersTheCountersOfCallsAndEchoesAtZero() {
        ingestion(NOW);

        for (String kind : List.of("call_event", "message_echo")) {
            assertThat(counter("janela.webhook.records.published", "kind", kind))
                    .as(kind)
                    .isZero();
            assertThat(counter("janela.webhook.records.old-dated", "kind", kind))
                    .as(kind)
                    .isZero();
        }
    }

    @Test
    void publishesCallsToCallEventsAndAppEchoesToMessageEchoesKeyedByContact() {
        // The test calls and echoes are dated December 2025, after NOW: take them a little later.
        WebhookIngestion ingestion = ingestion(Instant.ofEpochSecond(1_765_001_000L));
        List<String> bodies =
                List.of("calls/user-connect.json", "calls/business-accepted.json", "message-echoes/text.json");

        for (String path : bodies) {
            IngestionOutcome outcome = ingestion.ingest(TestWebhooks.load(path)).join();
            assertThat(outcome).as(path).isEqualTo(new IngestionOutcome(IngestionOutcome.Status.ACCEPTED, 1));
        }

        List<ProducerRecord<byte[], byte[]>> published = publisher.published();
        String calls = topics.callEvents().name();
        String echoes = topics.messageEchoes().name();
        assertThat(published).extracting(ProducerRecord::topic).containsExactly(calls, calls, echoes);
        assertThat(calls).isEqualTo("whatsapp.call-events");
        assertThat(echoes).isEqualTo("whatsapp.message-echoes");
        assertThat(published)
                .extracting(sent -> new String(sent.key(), StandardCharsets.UTF_8))
                .containsOnly("106540352242922:US.13491208655302741918");
        CallEvent accepted = topics.callEvents()
                .valueSerde()
                .deserializer()
                .deserialize(calls, published.get(1).value());
        assertThat(accepted.getEvent()).isEqualTo(CallEventType.STATUS);
        assertThat(accepted.getStatus()).isEqualTo(CallStatus.ACCEPTED);
        MessageEcho echo = topics.messageEchoes()
                .valueSerde()
                .deserializer()
                .deserialize(echoes, published.get(2).value());
        assertThat(echo.getType()).isEqualTo(EchoMessageType.TEXT);
        assertThat(counter("janela.webhook.records.published", "kind", "call_event"))
                .isEqualTo(2);
        assertThat(counter("janela.webhook.records.published", "kind", "message_echo"))
                .isEqualTo(1);
        assertThat(meters.find("janela.webhook.changes.ignored").counters())
                .allSatisfy(ignored -> assertThat(ignored.count()).isZero());
    }

    @Test
    void publishesAccountLevelChangesToAccountEventsKeyedPerFactWithUnknownValuesCounted() {
        // The test account events are dated December 2025, after NOW: take them a little later.
        WebhookIngestion ingestion = ingestion(Instant.ofEpochSecond(1_765_002_000L));
        List<String> bodies = List.of(
                "account-events/account-restriction.json",
                "account-events/business-capability.json",
                "account-events/throughput-upgrade.json",
                "account-events/user-id-update.json");

        for (String path : bodies) {
            IngestionOutcome outcome = ingestion.ingest(TestWebhooks.load(path)).join();
            assertThat(outcome).as(path).isEqualTo(new IngestionOutcome(IngestionOutcome.Status.ACCEPTED, 1));
        }

        List<ProducerRecord<byte[], byte[]>> published = publisher.published();
        String accountEvents = topics.accountEvents().name();
        assertThat(accountEvents).isEqualTo("whatsapp.account-events");
        assertThat(published).extracting(ProducerRecord::topic).containsOnly(accountEvents);
        assertThat(published)
                .extracting(sent -> new String(sent.key(), StandardCharsets.UTF_8))
                .containsExactly(
                        "102290129340398:RESTRICTION:1765000900000",
                        "102290129340398:MESSAGING_LIMIT:1765001000000",
                        "102290129340398:THROUGHPUT:15550783881:1765001200000",
                        "106540352242922:USER_ID_CHANGE:US.13491208655302741918");
        AccountEvent restriction = topics.accountEvents()
                .valueSerde()
                .deserializer()
                .deserialize(accountEvents, published.get(0).value());
        assertThat(restriction.getKind()).isEqualTo(AccountEventKind.RESTRICTION);
        assertThat(restriction.getRestrictions()).hasSize(3);
        assertThat(counter("janela.webhook.records.published", "kind", "account_event"))
                .isEqualTo(4);
        assertThat(counter("janela.webhook.values.unrecognised", "field", "restriction_type"))
                .isEqualTo(1);
        assertThat(meters.find("janela.webhook.changes.ignored").counters())
                .allSatisfy(ignored -> assertThat(ignored.count()).isZero());
    }

    @Test
    void preRegistersTheNewMetersAtZero() {
        ingestion(NOW);

        for (String field : List.of("restriction_type", "messaging_limit", "throughput_level", "echo_type")) {
            assertThat(counter("janela.webhook.values.unrecognised", "field", field))
                    .as(field)
                    .isZero();
        }
        for (String kind : List.of("call_event", "message_echo", "account_event")) {
            assertThat(counter("janela.webhook.records.published", "kind", kind))
                    .as(kind)
                    .isZero();
        }
    }

    @Test
    void producesTheSameBytesWhenMetaRetriesADelivery() {
        byte[] body = TestWebhooks.load("batches/mixed-batch.json");
        WebhookIngestion ingestion = ingestion(NOW);

        ingestion.ingest(body).join();
        ingestion.ingest(body.clone()).join();

        List<ProducerRecord<byte[], byte[]>> published = publisher.published();
        assertThat(published).hasSize(18);
        for (int i = 0; i < 9; i++) {
            ProducerRecord<byte[], byte[]> first = published.get(i);
            ProducerRecord<byte[], byte[]> retry = published.get(i + 9);
            assertThat(retry.topic()).isEqualTo(first.topic());
            assertThat(retry.key()).isEqualTo(first.key());
            assertThat(retry.value()).isEqualTo(first.value());
        }
    }

    @Test
    void deadLettersABodyThatIsNotJsonAsReceivedWithItsCause() {
        byte[] body = TestWebhooks.load("malformed/not-json.txt");

        IngestionOutcome outcome = ingestion(NOW).ingest(body).join();

        assertThat(outcome.status()).isEqualTo(IngestionOutcome.Status.DEAD_LETTERED);
        ProducerRecord<byte[], byte[]> deadLetter =
                publisher.published().stream().collect(onlyElement());
        assertThat(deadLetter.topic()).isEqualTo(deadLetters);
        assertThat(deadLetter.value()).isEqualTo(body);
        assertThat(new String(deadLetter.key(), StandardCharsets.US_ASCII))
                .hasSize(64)
                .matches("[0-9a-f]+");
        assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("MALFORMED_JSON");
        assertThat(header(deadLetter, DeadLetterHeaders.CAUSE)).startsWith("not valid JSON (line 1, column");
        assertThat(header(deadLetter, DeadLetterHeaders.EXCEPTION)).startsWith("tools.jackson.");
        assertThat(header(deadLetter, DeadLetterHeaders.SERVICE)).isEqualTo(IngressApplication.SERVICE_NAME);
        assertThat(header(deadLetter, DeadLetterHeaders.FAILED_AT)).isEqualTo(NOW.toString());
        assertThat(deadLetter.timestamp()).isEqualTo(NOW.toEpochMilli());
        assertThat(counter("janela.webhook.deadletters.published", "reason", "malformed_json"))
                .isEqualTo(1);
    }

    @Test
    void publishesTheGoodItemsAndDeadLettersTheBodyOnceNamingTheOthers() {
        byte[] body = TestWebhooks.load("malformed/invalid-items.json");

        IngestionOutcome outcome = ingestion(NOW).ingest(body).join();

        assertThat(outcome).isEqualTo(new IngestionOutcome(IngestionOutcome.Status.DEAD_LETTERED, 1));
        assertThat(publisher.publishedTo(inbound)).hasSize(1);
        ProducerRecord<byte[], byte[]> deadLetter =
                publisher.publishedTo(deadLetters).stream().collect(onlyElement());
        assertThat(deadLetter.value()).isEqualTo(body);
        assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("INVALID_ITEMS");
        assertThat(header(deadLetter, DeadLetterHeaders.CAUSE))
                .isEqualTo(
                        "entry[0].changes[0].value.messages[1]: no id; "
                                + "entry[0].changes[0].value.messages[2]: timestamp is not Unix seconds; "
                                + "entry[0].changes[0].value.messages[3]: no from_user_id, from or matching contact: no identity");
        assertThat(deadLetter.headers().lastHeader(DeadLetterHeaders.EXCEPTION)).isNull();
    }

    @Test
    void deadLettersItemsDatedTooFarAheadForKafkaInsteadOfPublishingThem() {
        byte[] body = TestWebhooks.load("messages/text.json");
        Instant twoHoursBefore = Instant.ofEpochSecond(1749416383).minus(Duration.ofHours(2));

        IngestionOutcome outcome = ingestion(twoHoursBefore).ingest(body).join();

        assertThat(outcome).isEqualTo(new IngestionOutcome(IngestionOutcome.Status.DEAD_LETTERED, 0));
        assertThat(publisher.publishedTo(inbound)).isEmpty();
        assertThat(header(publisher.publishedTo(deadLetters).getFirst(), DeadLetterHeaders.CAUSE))
                .isEqualTo(
                        "entry[0].changes[0].value.messages[0]: timestamp more than PT55M ahead of this service's clock");
    }

    @Test
    void answersUnavailableWhenKafkaDoesNotAcknowledgeInTime() {
        publisher.answer(
                record -> new TimeoutException("Expiring 1 record(s): 5000 ms has passed since batch creation"));

        IngestionOutcome outcome =
                ingestion(NOW).ingest(TestWebhooks.load("messages/text.json")).join();

        assertThat(outcome).isEqualTo(IngestionOutcome.unavailable(0));
        assertThat(publisher.publishedTo(deadLetters)).isEmpty();
        assertThat(meters.get("janela.webhook.publish.duration")
                        .tag("outcome", "failed")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void answersUnavailableWhenSomeRecordsFailForAReasonARetryCanFix() {
        publisher.answer(
                record -> record.topic().equals(topics.messageStatuses().name())
                        ? new NotEnoughReplicasException("not enough in-sync replicas")
                        : null);

        IngestionOutcome outcome = ingestion(NOW)
                .ingest(TestWebhooks.load("batches/mixed-batch.json"))
                .join();

        assertThat(outcome).isEqualTo(IngestionOutcome.unavailable(7));
        assertThat(counter("janela.webhook.records.published", "kind", "message_status"))
                .isZero();
        assertThat(counter("janela.webhook.records.published", "kind", "inbound_message"))
                .isEqualTo(4);
    }

    @Test
    void deadLettersTheBodyWhenKafkaRefusesARecordForGood() {
        publisher.answer(
                record -> record.topic().equals(inbound) ? new InvalidTimestampException("out of range") : null);

        IngestionOutcome outcome =
                ingestion(NOW).ingest(TestWebhooks.load("messages/text.json")).join();

        assertThat(outcome).isEqualTo(new IngestionOutcome(IngestionOutcome.Status.DEAD_LETTERED, 0));
        ProducerRecord<byte[], byte[]> deadLetter =
                publisher.publishedTo(deadLetters).stream().collect(onlyElement());
        assertThat(header(deadLetter, DeadLetterHeaders.REASON)).isEqualTo("REJECTED_BY_KAFKA");
        assertThat(header(deadLetter, DeadLetterHeaders.CAUSE))
                .isEqualTo("entry[0].changes[0].value.messages[0]: refused by Kafka (InvalidTimestampException)");
        assertThat(header(deadLetter, DeadLetterHeaders.EXCEPTION))
                .isEqualTo(InvalidTimestampException.class.getName());
    }

    @Test
    void answersUnavailableWhenTheDeadLetterTopicRefusesTheBody() {
        publisher.answer(
                record -> record.topic().equals(deadLetters) ? new RecordTooLargeException("too large") : null);

        IngestionOutcome outcome = ingestion(NOW)
                .ingest(TestWebhooks.load("malformed/truncated.json"))
                .join();

        assertThat(outcome).isEqualTo(IngestionOutcome.unavailable(0));
        assertThat(counter("janela.webhook.deadletters.published", "reason", "malformed_json"))
                .isZero();
    }

    @Test
    void answersUnavailableWhenTheDeadLetterForInvalidItemsFails() {
        publisher.answer(record -> record.topic().equals(deadLetters) ? new InvalidRecordException("refused") : null);

        IngestionOutcome outcome = ingestion(NOW)
                .ingest(TestWebhooks.load("malformed/invalid-items.json"))
                .join();

        assertThat(outcome).isEqualTo(IngestionOutcome.unavailable(1));
    }

    @Test
    void answersUnavailableWithNothingSentWhenTheSchemaRegistryCannotBeReached() {
        JanelaTopics unreachableRegistry = JanelaTopics.create(
                TopicNames.defaults(),
                ValueSerdes.janela(Map.of(
                        "schema.registry.url", "http://127.0.0.1:9",
                        "http.connect.timeout.ms", "500",
                        "http.read.timeout.ms", "500")));
        WebhookIngestion ingestion = new WebhookIngestion(
                new WebhookParser(),
                new OutgoingRecords(unreachableRegistry, Clock.fixed(NOW, ZoneOffset.UTC), "ingress-service"),
                publisher,
                new WebhookMetrics(meters, 1),
                Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofMinutes(55),
                Duration.ofDays(1));

        IngestionOutcome outcome =
                ingestion.ingest(TestWebhooks.load("messages/text.json")).join();

        assertThat(outcome).isEqualTo(IngestionOutcome.unavailable(0));
        assertThat(publisher.published()).isEmpty();
    }

    @Test
    void countsAccountLevelErrorsMetaReports() {
        byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[{"
                        + "\"field\":\"messages\",\"value\":{\"metadata\":{\"phone_number_id\":\"2\"},"
                        + "\"errors\":[{\"code\":130429,\"title\":\"Rate limit hit\"}]}}]}]}")
                .getBytes(StandardCharsets.UTF_8);

        IngestionOutcome outcome = ingestion(NOW).ingest(body).join();

        assertThat(outcome).isEqualTo(new IngestionOutcome(IngestionOutcome.Status.ACCEPTED, 0));
        assertThat(meters.get("janela.webhook.platform-errors.received")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    private WebhookIngestion ingestion(Instant now) {
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        return new WebhookIngestion(
                new WebhookParser(),
                new OutgoingRecords(topics, clock, IngressApplication.SERVICE_NAME),
                publisher,
                new WebhookMetrics(meters, 1),
                clock,
                Duration.ofMinutes(55),
                Duration.ofDays(1));
    }

    private double counter(String name, String tag, String value) {
        return meters.get(name).tag(tag, value).counter().count();
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static <T> java.util.stream.Collector<T, ?, T> onlyElement() {
        return java.util.stream.Collectors.collectingAndThen(java.util.stream.Collectors.toList(), list -> {
            assertThat(list).hasSize(1);
            return list.getFirst();
        });
    }
}
