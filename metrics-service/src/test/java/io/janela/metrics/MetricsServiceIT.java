package io.janela.metrics;

import static io.janela.testfixtures.MetaRecords.ANA;
import static io.janela.testfixtures.MetaRecords.BEN;
import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.janela.avro.ConversationResolution;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageCategory;
import io.janela.avro.Origin;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import io.janela.avro.SurveyEvent;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.contract.DeadLetterHeaders;
import io.janela.metrics.streams.MeasurementTopics;
import io.janela.metrics.summary.SummaryReport;
import io.janela.metrics.testing.InputProducer;
import io.janela.metrics.testing.PrometheusText;
import io.janela.metrics.testing.ServiceHttp;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testfixtures.MetaRecords;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import io.janela.testsupport.metrics.ExposedMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The service against a real broker: a scenario of customer messages, window events, dispatch results and status
 * webhooks goes in through the topics; the measurements come out once on their topics, as counters and histogram
 * buckets at {@code /actuator/prometheus}, and in {@code GET /metrics/summary}.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.properties.schema.registry.url=" + MetricsServiceIT.REGISTRY,
            "spring.kafka.streams.state-dir=target/it-state/${random.uuid}",
            "spring.kafka.streams.properties.commit.interval.ms=100",
            "janela.metrics.topic-partitions=2",
            "janela.metrics.settle-delay=1s",
            "janela.metrics.punctuation-interval=200ms",
            "janela.metrics.recorder.poll-timeout=200ms",
            "janela.metrics.sla.targets[0].phone-number-id=" + MetaRecords.PHONE_NUMBER_ID,
            "janela.metrics.sla.targets[0].first-response=30s",
            "janela.metrics.sla.targets[0].next-response=1m"
        })
@AutoConfigureWebTestClient
@UsesKafkaBroker
class MetricsServiceIT {

    static final String REGISTRY = "mock://metrics-service-it";
    private static final MetaRecords.Contact DORA = new MetaRecords.Contact("US.40000000000000000004", "15550100004");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @Autowired
    WebTestClient http;

    @Autowired
    Environment environment;

    @Autowired
    MeasurementTopics measurementTopics;

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope("metrics-service-it");
    }

    @Test
    void reportsLiveAndReady() {
        http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        await().atMost(TIMEOUT)
                .untilAsserted(() -> http.get()
                        .uri("/actuator/health/readiness")
                        .exchange()
                        .expectStatus()
                        .isOk());
    }

    @Test
    void aScenarioComesOutOnceAsMeasurementsCountersHistogramBucketsAndASummary() {
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(2));
        try (InputProducer input = new InputProducer(bootstrapServers(), REGISTRY)) {
            // Ana writes for the first time; the bot answers in 42 s on behalf of agent-1; Meta reports sent,
            // delivered (twice), read.
            input.send(MetaRecords.customerMessage(ANA, "wamid.ana-1", base));
            input.send(MetaRecords.opened(ANA, base, "wamid.ana-1", true));
            input.send(MetaRecords.sent(ANA, "request-ana-1", "wamid.bot-1", Origin.BOT, base.plusSeconds(42))
                    .setAgentId("agent-1")
                    .build());
            Pricing service = new Pricing(true, "PMP", PricingType.FREE_CUSTOMER_SERVICE, MessageCategory.SERVICE);
            input.send(MetaRecords.status(ANA, "wamid.bot-1", DeliveryStatus.SENT, base.plusSeconds(42))
                    .setPricing(service)
                    .build());
            input.send(MetaRecords.status(ANA, "wamid.bot-1", DeliveryStatus.DELIVERED, base.plusSeconds(44))
                    .setPricing(service)
                    .build());
            input.send(MetaRecords.status(ANA, "wamid.bot-1", DeliveryStatus.DELIVERED, base.plusSeconds(44))
                    .setPricing(service)
                    .build());
            input.send(MetaRecords.status(ANA, "wamid.bot-1", DeliveryStatus.READ, base.plusSeconds(104))
                    .build());
            // Ana writes again; the business answers in 20 s from the WhatsApp Business app (an echo).
            input.send(MetaRecords.customerMessage(ANA, "wamid.ana-2", base.plusSeconds(300)));
            input.send(MetaRecords.echo("echo-text.json", ANA, "wamid.app-1", base.plusSeconds(320), false));
            // Ana's satisfaction survey is delivered and she answers "5" in free text: survey-service's ANSWERED names
            // her message, which then waits for no reply (the window below closes with nobody waiting).
            // Her survey is credited to agent-1, Ben's (below) to agent-2.
            input.send(credited(
                    MetaRecords.surveyDelivered(ANA, "survey-ana", base.plusSeconds(600), "support"), "agent-1"));
            InboundMessage answer = MetaRecords.customerMessage(ANA, "wamid.ana-csat", base.plusSeconds(900));
            answer.setText("5");
            input.send(answer);
            input.send(credited(
                    MetaRecords.surveyAnswered(
                            ANA, "survey-ana", "wamid.ana-csat", base.plusSeconds(900), 5, "support"),
                    "agent-1"));
            input.send(MetaRecords.closed(ANA, base, base.plus(MetaRecords.WINDOW), true));
            // Ana calls the business (Meta's connect, redelivered once, then terminate); the business calls Ben back.
            input.send(MetaRecords.call("call-user-connect.json", ANA, "wacid.ana-1", base.plusSeconds(600)));
            input.send(MetaRecords.call("call-user-connect.json", ANA, "wacid.ana-1", base.plusSeconds(600)));
            input.send(MetaRecords.call("call-user-terminate.json", ANA, "wacid.ana-1", base.plusSeconds(690)));
            input.send(MetaRecords.call("call-business-accepted.json", BEN, "wacid.ben-1", base.plusSeconds(700)));

            // Ben, a returning contact: a utility template that Meta prices as marketing fails with 131049 (its
            // failed status names only his phone number); later he writes and nobody answers; a send is refused.
            input.send(MetaRecords.alias(BEN));
            Instant templateAt = base.plus(Duration.ofMinutes(30));
            input.send(MetaRecords.sentTemplate(BEN, "request-ben-1", "wamid.template-1", templateAt)
                    .build());
            input.send(MetaRecords.status(BEN, "wamid.template-1", DeliveryStatus.SENT, templateAt)
                    .build());
            input.send(MetaRecords.status(BEN, "wamid.template-1", DeliveryStatus.FAILED, templateAt.plusSeconds(60))
                    .build());
            Instant benOpened = base.plus(Duration.ofHours(1));
            input.send(MetaRecords.customerMessage(BEN, "wamid.ben-1", benOpened));
            input.send(MetaRecords.opened(BEN, benOpened, "wamid.ben-1", false));
            input.send(MetaRecords.refused(BEN, "request-ben-2", 131026, benOpened.plusSeconds(5))
                    .build());
            input.send(MetaRecords.closed(BEN, benOpened, benOpened.plus(MetaRecords.WINDOW), false));
            input.send(credited(
                    MetaRecords.surveyDelivered(BEN, "survey-ben", benOpened.plusSeconds(60), null), "agent-2"));
            input.send(credited(
                    MetaRecords.surveyAnswered(BEN, "survey-ben", "wamid.ben-csat", benOpened.plusSeconds(90), 2, null),
                    "agent-2"));

            // Dora answers a template survey with a tap after her window closed: the tap opens a window (Meta counts
            // it) that is no conversation: no returning contact's window, out of the response rate, though the
            // window-service reports her waiting since the tap. No survey-service event: the tap alone says it.
            Instant doraTapped = base.plus(Duration.ofMinutes(10));
            input.send(MetaRecords.surveyTap(DORA, "wamid.dora-tap", doraTapped, "survey-dora", 4));
            input.send(MetaRecords.opened(DORA, doraTapped, "wamid.dora-tap", false));
            WindowEvent doraClosed = MetaRecords.closed(DORA, doraTapped, doraTapped.plus(MetaRecords.WINDOW), false);
            doraClosed.setWaitingSince(doraTapped);
            input.send(doraClosed);

            // Resolutions: Ana's (by user id) holds, she never wrote again (her survey answer before it); Ben's (by
            // phone number, found through his alias) is reopened by his message 10 minutes later.
            input.send(ConversationResolution.newBuilder()
                    .setResolutionId("resolution-ana")
                    .setPhoneNumberId(PHONE_NUMBER_ID)
                    .setRecipientUserId(ANA.userId())
                    .setResolvedAt(base.plus(Duration.ofMinutes(20)))
                    .setTeam("support")
                    .build());
            input.send(ConversationResolution.newBuilder()
                    .setResolutionId("resolution-ben")
                    .setPhoneNumberId(PHONE_NUMBER_ID)
                    .setRecipientPhoneNumber("+" + BEN.waId())
                    .setResolvedAt(benOpened.minus(Duration.ofMinutes(10)))
                    .build());
        }

        await().atMost(TIMEOUT).untilAsserted(() -> {
            PrometheusText scrape = scrape();
            assertThat(scrape.sum("janela_windows_closed_total", "phone_number_id", PHONE_NUMBER_ID))
                    .isEqualTo(2);
            assertThat(scrape.sum("janela_messages_failed_total", "phone_number_id", PHONE_NUMBER_ID))
                    .isEqualTo(2);
            assertThat(scrape.sum("janela_message_read_latency_seconds_count")).isEqualTo(1);
            assertThat(scrape.sum("janela_calls_total")).isEqualTo(3);
            assertThat(scrape.sum("janela_survey_responses_total")).isEqualTo(2);
            assertThat(scrape.sum("janela_conversation_resolutions_total")).isEqualTo(2);
            assertThat(scrape.sum("janela_survey_answer_windows_total", "phone_number_id", PHONE_NUMBER_ID))
                    .isEqualTo(1);
        });
        PrometheusText scrape = scrape();
        String pn = PHONE_NUMBER_ID;
        assertThat(scrape.sum("janela_windows_opened_total", "phone_number_id", pn, "opened_by", "first_time_contact"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_windows_opened_total", "phone_number_id", pn, "opened_by", "returning_contact"))
                .isEqualTo(1);
        assertThat(scrape.sum(
                        "janela_windows_closed_total",
                        "phone_number_id",
                        pn,
                        "outcome",
                        "replied",
                        "customer_waiting",
                        "false",
                        "close_reason",
                        "expired"))
                .isEqualTo(1);
        assertThat(scrape.sum(
                        "janela_windows_closed_total",
                        "phone_number_id",
                        pn,
                        "outcome",
                        "unreplied",
                        "customer_waiting",
                        "true",
                        "close_reason",
                        "expired"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_conversation_resolutions_total", "phone_number_id", pn, "outcome", "reopened"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_conversation_resolutions_total", "phone_number_id", pn, "outcome", "held"))
                .isEqualTo(1);
        // Ben came back 3 days after his previous window closed (MetaRecords.opened).
        assertThat(scrape.sum("janela_returning_gap_seconds_count", "phone_number_id", pn))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_returning_gap_seconds_bucket", "le", "172800.0"))
                .isZero();
        assertThat(scrape.sum("janela_returning_gap_seconds_bucket", "le", "259200.0"))
                .isEqualTo(1);
        // 42 s: in the 60 s bucket, not in the 30 s one.
        assertThat(scrape.sum("janela_first_response_time_seconds_bucket", "responder_kind", "bot", "le", "30.0"))
                .isZero();
        assertThat(scrape.sum("janela_first_response_time_seconds_bucket", "responder_kind", "bot", "le", "60.0"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_first_response_time_seconds_sum", "responder_kind", "bot"))
                .isEqualTo(42);
        assertThat(scrape.sum("janela_first_response_headroom_seconds_bucket", "le", "43200.0"))
                .isZero();
        assertThat(scrape.sum("janela_first_response_headroom_seconds_bucket", "le", "86400.0"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_response_time_seconds_count", "phone_number_id", pn, "responder_kind", "bot"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_response_time_seconds_count", "phone_number_id", pn, "responder_kind", "app"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_response_time_seconds_sum", "responder_kind", "app"))
                .isEqualTo(20);
        // CSAT meters by score and team (the team credited when the survey was sent; none configured: other).
        assertThat(scrape.sum("janela_survey_responses_total", "score", "5", "team", "other", "path", "in_window"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_survey_responses_total", "score", "2", "team", "none"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_surveys_total", "kind", "delivered")).isEqualTo(2);
        // Calls by direction, event and status; Meta's redelivered connect counts once.
        assertThat(scrape.sum(
                        "janela_calls_total", "direction", "user_initiated", "event", "connect", "status", "none"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_calls_total", "event", "terminate", "status", "completed"))
                .isEqualTo(1);
        assertThat(scrape.sum(
                        "janela_calls_total",
                        "phone_number_id",
                        pn,
                        "direction",
                        "business_initiated",
                        "event",
                        "status",
                        "status",
                        "accepted"))
                .isEqualTo(1);
        // The bot's 42 s answer against the number's targets (first response 30 s, next response 1 min).
        assertThat(scrape.sum("janela_sla_responses_total", "target", "first_response", "result", "breached"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_sla_responses_total", "target", "first_response", "result", "met"))
                .isZero();
        assertThat(scrape.sum("janela_sla_responses_total", "target", "next_response", "team", "none", "result", "met"))
                .isEqualTo(2);
        // Delivered 2 s after sent, read 60 s after delivered; the duplicated delivered status counts once.
        assertThat(scrape.sum("janela_message_delivery_latency_seconds_bucket", "category", "service", "le", "1.0"))
                .isZero();
        assertThat(scrape.sum("janela_message_delivery_latency_seconds_bucket", "category", "service", "le", "2.0"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_message_delivery_latency_seconds_count")).isEqualTo(1);
        assertThat(scrape.sum("janela_message_read_latency_seconds_bucket", "le", "30.0"))
                .isZero();
        assertThat(scrape.sum("janela_message_read_latency_seconds_bucket", "le", "60.0"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_inputs_duplicates_total", "input", "message_status"))
                .isGreaterThanOrEqualTo(1);
        // The failed status keyed by phone number met its sent status through contact-aliases: Meta's category.
        assertThat(scrape.sum(
                        "janela_messages_failed_total",
                        "error_code",
                        "131049",
                        "stage",
                        "delivery",
                        "category",
                        "marketing"))
                .as(scrape.labelSets("janela_messages_failed_total").toString())
                .isEqualTo(1);
        assertThat(scrape.sum("janela_messages_failed_total", "error_code", "131026", "stage", "send"))
                .isEqualTo(1);
        assertThat(scrape.sum(
                        "janela_messages_sent_total",
                        "category",
                        "service",
                        "pricing_type",
                        "free_customer_service",
                        "responder_kind",
                        "bot"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_messages_estimated_cost_total", "category", "utility", "currency", "USD"))
                .isCloseTo(0.004, within(1e-9));
        // Predicted utility, priced by Meta as marketing: a recategorised template shows.
        assertThat(scrape.sum("janela_messages_priced_total", "category", "marketing", "predicted_category", "utility"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_messages_priced_total", "category", "service", "predicted_category", "service"))
                .isEqualTo(1);
        assertThat(scrape.sum("janela_measurements_latest_seconds", "measurement", "window_closed"))
                .isEqualTo(
                        base.plus(Duration.ofHours(1)).plus(MetaRecords.WINDOW).getEpochSecond());
        assertThat(scrape.labelSets("janela_response_time_seconds_count"))
                .allSatisfy(labels -> assertThat(labels.keySet())
                        .containsExactlyInAnyOrder("application", "phone_number_id", "responder_kind", "team"));

        // Each measurement is on its topic once.
        try (TopicReader<String, WindowOpenedMeasurement> opened = TopicReader.open(
                bootstrapServers(),
                measurementTopics.windowsOpened().name(),
                new StringDeserializer(),
                measurementTopics.windowsOpened().valueSerde().deserializer())) {
            assertThat(opened.awaitRecords(3, TIMEOUT))
                    .extracting(
                            record -> record.value().getContactId(),
                            record -> record.value().getOpenedBySurveyAnswer())
                    .containsExactlyInAnyOrder(
                            tuple(ANA.userId(), false), tuple(BEN.userId(), false), tuple(DORA.userId(), true));
            opened.assertNoMoreRecords(Duration.ofSeconds(2));
        }
        try (TopicReader<String, WindowClosedMeasurement> closed = TopicReader.open(
                bootstrapServers(),
                measurementTopics.windowsClosed().name(),
                new StringDeserializer(),
                measurementTopics.windowsClosed().valueSerde().deserializer())) {
            assertThat(closed.awaitRecords(3, TIMEOUT))
                    .extracting(
                            record -> record.value().getContactId(),
                            record -> record.value().getSurveyAnswerOnly(),
                            record -> record.value().getCustomerWaitingSince() != null)
                    .containsExactlyInAnyOrder(
                            tuple(ANA.userId(), false, false),
                            tuple(BEN.userId(), false, true),
                            tuple(DORA.userId(), true, false));
        }

        await().atMost(TIMEOUT).untilAsserted(() -> {
            SummaryReport summary = summary(base.minus(Duration.ofHours(1)), base.plus(Duration.ofDays(2)));
            assertThat(summary.windows().closed()).isEqualTo(2);
            assertThat(summary.responseTime().count()).isEqualTo(2);
            assertThat(summary.csat().responses()).isEqualTo(2);
        });
        SummaryReport summary = summary(base.minus(Duration.ofHours(1)), base.plus(Duration.ofDays(2)));
        assertThat(summary.windows()).isEqualTo(new SummaryReport.Windows(2, 1, 1, 2, 1, 1, 1, 1));
        assertThat(summary.responseRate()).isEqualTo(0.5);
        assertThat(summary.firstResponse().count()).isEqualTo(1);
        assertThat(summary.firstResponse().p50Seconds()).isCloseTo(42.0, within(42 * 0.01));
        assertThat(summary.firstResponse().p99Seconds()).isCloseTo(42.0, within(42 * 0.01));
        assertThat(summary.from()).isBeforeOrEqualTo(base.minus(Duration.ofHours(1)));
        assertThat(summary.csat()).isEqualTo(new SummaryReport.Csat(2, 2, List.of(0L, 1L, 0L, 0L, 1L), 0.5, 1.0));
        // Per agent: agent-1 answered Ana first (42 s) and her survey scored 5; agent-2's survey (Ben's) scored 2; the
        // Business-app reply named no agent.
        assertThat(summary.agents())
                .extracting(SummaryReport.Agent::agentId)
                .containsExactly("agent-1", "agent-2", null);
        SummaryReport.Agent agent1 = summary.agents().get(0);
        assertThat(agent1.responseTime().count()).isEqualTo(1);
        assertThat(agent1.responseTime().meanSeconds()).isEqualTo(42.0);
        assertThat(agent1.firstResponse().count()).isEqualTo(1);
        assertThat(agent1.csat()).isEqualTo(new SummaryReport.Csat(1, 1, List.of(0L, 0L, 0L, 0L, 1L), 1.0, 1.0));
        SummaryReport.Agent agent2 = summary.agents().get(1);
        assertThat(agent2.responseTime().count()).isZero();
        assertThat(agent2.csat()).isEqualTo(new SummaryReport.Csat(1, 1, List.of(0L, 1L, 0L, 0L, 0L), 0.0, 1.0));
        SummaryReport.Agent none = summary.agents().get(2);
        assertThat(none.row()).isEqualTo("none");
        assertThat(none.responseTime().meanSeconds()).isEqualTo(20.0);
        assertThat(summary.csatByPath()).containsExactly(new SummaryReport.PathCsat("in_window", summary.csat()));
        assertThat(summary.csatByTeam())
                .extracting(SummaryReport.TeamCsat::team, team -> team.csat().score())
                .containsExactly(tuple("support", 1.0), tuple(null, 0.0));
        SummaryReport onlyAgent2 = summary(base.minus(Duration.ofHours(1)), base.plus(Duration.ofDays(2)), "agent-2");
        assertThat(onlyAgent2.agents()).containsExactly(agent2);
        assertThat(onlyAgent2.csat()).isEqualTo(summary.csat());
    }

    private static SurveyEvent credited(SurveyEvent event, String agentId) {
        return SurveyEvent.newBuilder(event).setAgentId(agentId).build();
    }

    @Test
    void aMeasurementInputThatCannotBeReadGoesToTheDeadLetterTopicWithItsCause() {
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrapServers()),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("whatsapp.message-statuses", "poison".getBytes(), garbage));
            producer.flush();
        }
        try (TopicReader<byte[], byte[]> deadLetters = TopicReader.open(
                bootstrapServers(),
                "whatsapp.metrics.dead-letter",
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            var record = deadLetters.awaitRecords(1, TIMEOUT).getFirst();
            assertThat(record.value()).isEqualTo(garbage);
            assertThat(new String(record.headers()
                            .lastHeader(DeadLetterHeaders.SOURCE_TOPIC)
                            .value()))
                    .isEqualTo("whatsapp.message-statuses");
        }
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(scrape().sum(
                                        "janela_deadletter_records_total",
                                        "source_topic",
                                        "whatsapp.message-statuses",
                                        "stage",
                                        "deserialization"))
                        .isEqualTo(1));
    }

    @Test
    void aSummaryRequestWithoutAPhoneNumberIdOrWithABackwardsRangeIsRefused() {
        http.get().uri("/metrics/summary").exchange().expectStatus().isBadRequest();
        http.get()
                .uri("/metrics/summary?phoneNumberId=1&from=2026-11-20T10:00:00Z&to=2026-11-20T09:00:00Z")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("from must be before to");
    }

    private PrometheusText scrape() {
        String body = new ServiceHttp(http).prometheus();
        ExposedMetrics.record(body); // what the deployment's alerts and dashboards may use
        return new PrometheusText(body);
    }

    private SummaryReport summary(Instant from, Instant to) {
        return summary(from, to, null);
    }

    private SummaryReport summary(Instant from, Instant to, String agentId) {
        return new ServiceHttp(http).summary(PHONE_NUMBER_ID, from, to, agentId);
    }

    private String bootstrapServers() {
        return environment.getRequiredProperty("spring.kafka.bootstrap-servers");
    }
}
