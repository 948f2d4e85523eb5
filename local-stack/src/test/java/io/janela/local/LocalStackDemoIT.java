package io.janela.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.local.demo.Demo;
import io.janela.local.demo.DemoSummary;
import io.janela.local.demo.PrometheusText;
import io.janela.local.demo.TopicReading;
import io.janela.serde.AvroDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack, as the run command starts it (a Kafka node, the registry, the sandbox and the five services as
 * child JVMs from their packaged jars), in a temporary data directory and on free ports, with a short window. One
 * stack for both tests (starting it is most of their time): first a webhook an outage held for 30 hours goes from
 * ingress through the window-service to the metrics-service on the quiet stack, then the demo plays and prints its
 * summary: every count the scenario fixes must be exactly what the services' Prometheus meters show.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackDemoIT {

    /** Kept when a test fails: the services' logs are the evidence. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dataDirectory;

    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        LocalStackOptions options = LocalStackOptions.parse(List.of(
                "--demo", "--window-length=30s", "--data-dir=" + dataDirectory, "--port-offset=" + FreePorts.offset()));
        stack = new LocalStack(options, Path.of("..").toAbsolutePath().normalize());
        stack.start();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.stop();
        }
    }

    /**
     * Outages do not erase conversations, across the services: a customer's message Meta dated 30 hours ago (an
     * outage held it; Meta retries for 7 days) reaches ingress signed as Meta signs it. Its window would be long over,
     * so the window-service opens nothing and tells it as LATE; the metrics-service makes it a retroactive window:
     * counted with {@code late="true"} in Prometheus now, measured with late=true in its own time, and in the
     * response-rate funnel (opened, closed expired with the customer waiting, unreplied).
     */
    @Test
    @Order(1)
    void aWebhookAnOutageHeldForThirtyHoursIsARetroactiveWindowInTheResponseRateFunnel() {
        String pn = StackService.PHONE_NUMBER_ID;
        String contactKey = pn + ":" + Banner.EXAMPLE_USER_ID;
        Duration window = Duration.ofSeconds(30);
        Instant wroteAt = Instant.now().minus(Duration.ofHours(30)).truncatedTo(ChronoUnit.SECONDS);
        PrometheusText ingressBefore = scrape(StackService.INGRESS);
        PrometheusText windowBefore = scrape(StackService.WINDOW);
        PrometheusText metricsBefore = scrape(StackService.METRICS);

        String webhook = Banner.signedWebhook(wroteAt);
        assertThat(post(stack.webhookUrl(), webhook, Banner.sign(stack.secrets().appSecret(), webhook)))
                .isEqualTo(200);

        await("the retroactive window's close in the metrics-service's Prometheus")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> scrape(StackService.METRICS)
                                .minus(metricsBefore)
                                .sum(
                                        "janela_windows_closed_total",
                                        s -> s.label("late").equals("true"))
                        >= 1);
        PrometheusText ingress = scrape(StackService.INGRESS).minus(ingressBefore);
        PrometheusText windows = scrape(StackService.WINDOW).minus(windowBefore);
        PrometheusText metrics = scrape(StackService.METRICS).minus(metricsBefore);

        // Ingress published it, counted as old-dated; the window-service opened nothing and told it LATE.
        assertThat(ingress.sum(
                        "janela_webhook_records_published_total",
                        s -> s.label("kind").equals("inbound_message")))
                .isEqualTo(1);
        assertThat(ingress.sum(
                        "janela_webhook_records_old_dated_total",
                        s -> s.label("kind").equals("inbound_message")))
                .isEqualTo(1);
        assertThat(windows.sum(
                        "janela_window_events_total", s -> s.label("type").equals("LATE")))
                .isEqualTo(1);
        assertThat(windows.sum(
                        "janela_window_events_total", s -> s.label("type").equals("OPENED")))
                .isZero();
        // The funnel is whole: the only window of the number is the retroactive one, opened and closed unreplied.
        assertThat(metrics.sum(
                        "janela_windows_opened_total",
                        s -> s.label("phone_number_id").equals(pn)))
                .isEqualTo(1);
        assertThat(metrics.sum(
                        "janela_windows_opened_total",
                        s -> s.label("late").equals("true")
                                && s.label("opened_by").equals("first_time_contact")))
                .isEqualTo(1);
        assertThat(metrics.sum(
                        "janela_windows_closed_total",
                        s -> s.label("phone_number_id").equals(pn)))
                .isEqualTo(1);
        assertThat(metrics.sum(
                        "janela_windows_closed_total",
                        s -> s.label("late").equals("true")
                                && s.label("outcome").equals("unreplied")
                                && s.label("customer_waiting").equals("true")
                                && s.label("close_reason").equals("expired")))
                .isEqualTo(1);

        // Measured in its own time, flagged late.
        List<WindowOpenedMeasurement> opened =
                measurements("whatsapp.metrics.windows-opened", contactKey, WindowOpenedMeasurement.class);
        assertThat(opened).singleElement().satisfies(measurement -> {
            assertThat(measurement.getLate()).isTrue();
            assertThat(measurement.getOccurredAt()).isEqualTo(wroteAt);
            assertThat(measurement.getOpeningMessageId()).isEqualTo("wamid.local-example-" + wroteAt.getEpochSecond());
            assertThat(measurement.getFirstContact()).isTrue();
        });
        List<WindowClosedMeasurement> closed =
                measurements("whatsapp.metrics.windows-closed", contactKey, WindowClosedMeasurement.class);
        assertThat(closed).singleElement().satisfies(measurement -> {
            assertThat(measurement.getLate()).isTrue();
            assertThat(measurement.getWindowOpenedAt()).isEqualTo(wroteAt);
            assertThat(measurement.getOccurredAt()).isEqualTo(wroteAt.plus(window));
            assertThat(measurement.getBusinessReplied()).isFalse();
            assertThat(measurement.getCustomerWaitingSince()).isEqualTo(wroteAt);
        });

        // The summary has it 30 hours ago, where it happened: a response rate of 0 of 1, not a window missing.
        JsonNode then = summary(wroteAt.minus(Duration.ofMinutes(5)), wroteAt.plus(Duration.ofMinutes(5)));
        assertThat(then.path("windows").path("opened").asLong()).isEqualTo(1);
        assertThat(then.path("windows").path("closed").asLong()).isEqualTo(1);
        assertThat(then.path("windows").path("expiredWhileCustomerWaiting").asLong())
                .isEqualTo(1);
        assertThat(then.path("responseRate").asDouble(-1)).isZero();
    }

    @Test
    @Order(2)
    void theDemoPrintsExactlyWhatItsScenarioMadeHappenAsPrometheusCountsIt() {
        assertThat(Banner.text(stack))
                .contains(stack.webhookUrl())
                .contains(stack.resolutionsUrl())
                .contains("/sandbox/customer-replies")
                .contains("/windows/{phoneNumberId}/{contactId}")
                .contains("/metrics/summary?phoneNumberId=")
                .contains("X-Hub-Signature-256: sha256=")
                .contains(stack.devEndpointUrl())
                .contains("whatsapp.outbound-requests");

        Demo demo = stack.demo();
        DemoSummary summary = demo.play();
        System.out.println(summary.text());

        Demo.Expected expected = Demo.EXPECTED;
        assertThat(summary.windowLength()).isEqualTo(Duration.ofSeconds(30));
        assertThat(summary.customerMessages()).isEqualTo(expected.customerMessages());
        assertThat(summary.windowsOpened()).isEqualTo(expected.windowsOpened());
        assertThat(summary.windowEventsOpened()).isEqualTo(expected.windowsOpened());
        assertThat(summary.windowsClosed()).isEqualTo(expected.windowsClosed());
        assertThat(summary.windowsClosedReplied()).isEqualTo(expected.windowsClosedReplied());
        assertThat(summary.windowsExpiredWhileWaiting()).isEqualTo(expected.windowsClosedUnreplied());
        assertThat(summary.responseRate()).isCloseTo(5.0 / 7, within(1e-9));
        assertThat(summary.firstResponses()).isEqualTo(expected.firstResponses());
        assertThat(summary.firstResponseP50()).isBetween(0.5, 30.0);
        assertThat(summary.firstResponseP90()).isBetween(summary.firstResponseP50(), 30.0);
        assertThat(summary.summaryP50()).isNotNull().isBetween(0.0, 30.0);
        assertThat(summary.sends()).isEqualTo(expected.sends());
        assertThat(summary.rejectionsByReason()).isEqualTo(expected.rejectionsByReason());
        assertThat(summary.messagesByCategory()).isEqualTo(expected.messagesByCategory());
        // The example rate card, Brazil (+55): marketing 0.06; utility and (since 2026-10-01) service 0.007;
        // the two replies to the ad's customers and Bruno's survey are free (free entry point); the other three
        // surveys are service messages.
        assertThat(summary.costByCategory())
                .hasEntrySatisfying("marketing", cost -> assertThat(cost).isCloseTo(0.06, within(1e-9)))
                .hasEntrySatisfying("utility", cost -> assertThat(cost).isCloseTo(0.021, within(1e-9)))
                .hasEntrySatisfying("service", cost -> assertThat(cost).isCloseTo(0.042, within(1e-9)));
        assertThat(summary.currency()).isEqualTo("USD");
        assertThat(summary.statusesReceived()).isEqualTo(3 * expected.sends());
        // Four surveys asked after resolutions; three answered by a tap on the list (5, 4, 2), one never.
        assertThat(summary.surveysSent()).isEqualTo(expected.surveys());
        assertThat(summary.surveysDelivered()).isEqualTo(expected.surveys());
        assertThat(summary.surveysAnswered()).isEqualTo(expected.surveyAnswers());
        assertThat(summary.surveyScores()).isEqualTo(expected.surveyScores());
        assertThat(summary.surveyAnswersRecorded()).isEqualTo(expected.surveyAnswers());
        assertThat(summary.csat()).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(summary.surveyResponseRate()).isCloseTo(3.0 / 4, within(1e-9));
        assertThat(summary.text())
                .contains("Windows opened                  7")
                .contains("Windows closed                  7   (5 with a business reply, 2 expired")
                .contains("Response rate                   71.4 %")
                .contains("Rejections                      3")
                .contains("CSAT                            66.7 %")
                .contains("Survey response rate            75.0 %")
                .contains("shortened to 30 s");
        assertThat(Map.copyOf(summary.rejectionsByReason())).containsKey("marketing_opted_out");

        // After the numbers: Lia's call opened a window that a free-form reply used (no fallback); Eva's survey,
        // asked after her window closed, went as the utility survey template; while the account was restricted
        // from business-initiated messages, a template was refused before any call to Meta.
        Demo.Scenes scenes = demo.scenes();
        assertThat(scenes.callReply()).isEqualTo("SENT");
        assertThat(scenes.callReplyFallback()).isFalse();
        assertThat(scenes.survey()).isEqualTo("SENT");
        assertThat(scenes.surveyTemplate()).isEqualTo(Demo.SURVEY_TEMPLATE);
        assertThat(scenes.restricted()).isEqualTo("REJECTED ACCOUNT_RESTRICTED");
        assertThat(scenes.restriction()).isEqualTo("RESTRICTED_BIZ_INITIATED_MESSAGING");
    }

    private static PrometheusText scrape(StackService service) {
        String text = LocalHttp.bodyOrNull(stack.baseUrl(service) + "/actuator/prometheus", Duration.ofSeconds(10));
        assertThat(text).as("%s's Prometheus page", service).isNotNull();
        return PrometheusText.parse(text);
    }

    private static JsonNode summary(Instant from, Instant to) {
        String body = LocalHttp.bodyOrNull(
                stack.baseUrl(StackService.METRICS) + "/metrics/summary?phoneNumberId=" + StackService.PHONE_NUMBER_ID
                        + "&from=" + from + "&to=" + to,
                Duration.ofSeconds(10));
        assertThat(body).as("the summary").isNotNull();
        try {
            return new ObjectMapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int post(String url, String body, String signature) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The committed measurements of one contact on a measurement topic, from its beginning. */
    private static <T> List<T> measurements(String topic, String contactKey, Class<T> type) {
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "local-stack-it-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                AvroDeserializer.class,
                "schema.registry.url",
                stack.registryUrl(),
                "specific.avro.reader",
                true))) {
            List<TopicPartition> partitions = TopicReading.assignAll(consumer, topic, Duration.ofSeconds(30));
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<T> found = new ArrayList<>();
            await("the end of " + topic).atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
                    if (contactKey.equals(record.key()) && type.isInstance(record.value())) {
                        found.add(type.cast(record.value()));
                    }
                }
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
            });
            return found;
        }
    }
}
