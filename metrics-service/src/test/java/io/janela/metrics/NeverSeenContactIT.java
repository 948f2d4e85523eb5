package io.janela.metrics;

import static io.janela.testfixtures.MetaRecords.PHONE_NUMBER_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessagePricingMeasurement;
import io.janela.avro.MessageStatus;
import io.janela.avro.Origin;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import io.janela.metrics.streams.MeasurementTopics;
import io.janela.metrics.testing.InputProducer;
import io.janela.metrics.testing.PrometheusText;
import io.janela.metrics.testing.ServiceHttp;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testfixtures.MetaRecords;
import io.janela.testsupport.kafka.TopicReader;
import io.janela.testsupport.kafka.UsesKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A campaign to people who never wrote, on a real broker with input topics of three partitions. Dispatch keys each
 * result by the phone number (no contact alias exists: nobody wrote), ingress keys the sent, delivered and read statuses
 * by the business-scoped user id Meta names and a failed status by the phone number again; the contacts are chosen so
 * that those two keys fall on different partitions. The message step reads them keyed by message, so Meta's
 * recategorisation of the utility template as marketing shows beside the prediction, and the failure names the
 * campaign that sent it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.kafka.properties.schema.registry.url=" + NeverSeenContactIT.REGISTRY,
            "spring.kafka.streams.state-dir=target/it-state/${random.uuid}",
            "spring.kafka.streams.properties.commit.interval.ms=100",
            "janela.metrics.topic-partitions=" + NeverSeenContactIT.PARTITIONS,
            // A status's pricing waits this long for its dispatch result, which comes through another repartition
            // topic: 1 s was too short on a loaded machine.
            "janela.metrics.settle-delay=10s",
            "janela.metrics.punctuation-interval=200ms",
            "janela.metrics.recorder.poll-timeout=200ms"
        })
@AutoConfigureWebTestClient
@UsesKafkaBroker
class NeverSeenContactIT {

    static final String REGISTRY = "mock://never-seen-contact-it";
    static final int PARTITIONS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Pricing MARKETING = new Pricing(true, "PMP", PricingType.REGULAR, MessageCategory.MARKETING);

    @Autowired
    WebTestClient http;

    @Autowired
    Environment environment;

    @Autowired
    MeasurementTopics measurementTopics;

    @AfterAll
    static void dropRegistry() {
        MockSchemaRegistry.dropScope("never-seen-contact-it");
    }

    @Test
    void aCampaignToNumbersThatNeverWroteMeetsItsStatusesAcrossPartitions() throws Exception {
        MetaRecords.Contact caio = neverSeen(0);
        MetaRecords.Contact dora = neverSeen(100);
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(30));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            assertThat(admin
                            .describeTopics(List.of("whatsapp.message-statuses", "whatsapp.dispatch-results"))
                            .allTopicNames()
                            .get()
                            .values()
                            .stream()
                            .collect(Collectors.toMap(
                                    description -> description.name(),
                                    description -> description.partitions().size())))
                    .containsEntry("whatsapp.message-statuses", PARTITIONS)
                    .containsEntry("whatsapp.dispatch-results", PARTITIONS);
        }
        try (InputProducer input = new InputProducer(bootstrapServers(), REGISTRY)) {
            // Caio: sent and delivered come before the result, read after it.
            input.send(status(caio, "wamid.caio-campaign", DeliveryStatus.SENT, base, "request-caio"));
            input.send(
                    status(caio, "wamid.caio-campaign", DeliveryStatus.DELIVERED, base.plusSeconds(3), "request-caio"));
            input.send(campaign(caio, "request-caio", "wamid.caio-campaign", base), caio.phoneKey());
            input.send(status(caio, "wamid.caio-campaign", DeliveryStatus.READ, base.plusSeconds(63), "request-caio"));
            // Dora: the result first; her failed status names only her phone number.
            Instant doraAt = base.plusSeconds(10);
            input.send(campaign(dora, "request-dora", "wamid.dora-campaign", doraAt), dora.phoneKey());
            input.send(status(dora, "wamid.dora-campaign", DeliveryStatus.SENT, doraAt, "request-dora"));
            MessageStatus failed = MetaRecords.status(
                            dora, "wamid.dora-campaign", DeliveryStatus.FAILED, doraAt.plusSeconds(60))
                    .build();
            assertThat(MetaRecords.keyOf(failed)).isEqualTo(dora.phoneKey());
            input.send(failed);
        }

        await().atMost(TIMEOUT).untilAsserted(() -> {
            PrometheusText scrape = new ServiceHttp(http).scrape();
            assertThat(scrape.sum("janela_messages_priced_total", "phone_number_id", PHONE_NUMBER_ID))
                    .isEqualTo(2);
            assertThat(scrape.sum("janela_messages_failed_total", "phone_number_id", PHONE_NUMBER_ID))
                    .isEqualTo(1);
            assertThat(scrape.sum("janela_message_read_latency_seconds_count")).isEqualTo(1);
        });
        PrometheusText scrape = new ServiceHttp(http).scrape();
        // Predicted utility, priced by Meta as marketing: the recategorisation shows for both, none without prediction.
        assertThat(scrape.sum("janela_messages_priced_total", "category", "marketing", "predicted_category", "utility"))
                .as(scrape.labelSets("janela_messages_priced_total").toString())
                .isEqualTo(2);
        assertThat(scrape.sum("janela_messages_priced_total", "predicted_category", "none"))
                .isZero();
        assertThat(scrape.sum("janela_messages_sent_total", "responder_kind", "campaign", "category", "utility"))
                .isEqualTo(2);
        assertThat(scrape.sum("janela_messages_failed_total", "stage", "delivery", "category", "marketing"))
                .as(scrape.labelSets("janela_messages_failed_total").toString())
                .isEqualTo(1);
        assertThat(scrape.sum("janela_message_delivery_latency_seconds_count", "category", "marketing"))
                .isEqualTo(1);

        // Each priced once, under the user id Meta named.
        try (TopicReader<String, MessagePricingMeasurement> priced = TopicReader.open(
                bootstrapServers(),
                measurementTopics.messagesPriced().name(),
                new StringDeserializer(),
                measurementTopics.messagesPriced().valueSerde().deserializer())) {
            assertThat(priced.awaitRecords(2, TIMEOUT))
                    .extracting(record -> record.key())
                    .containsExactlyInAnyOrder(caio.key(), dora.key());
            priced.assertNoMoreRecords(Duration.ofSeconds(2));
        }
    }

    /**
     * A contact whose user-id key and phone-number key fall on different partitions (Kafka's default partitioner), so
     * that records keyed by contact would split: the first such from {@code seed} on.
     */
    private static MetaRecords.Contact neverSeen(int seed) {
        for (int i = seed; ; i++) {
            MetaRecords.Contact contact =
                    new MetaRecords.Contact("BR.5501234567890123" + (4000 + i), "55219900" + (10000 + i));
            if (partition(contact.key()) != partition(contact.phoneKey())) {
                return contact;
            }
        }
    }

    private static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** A campaign's utility template; dispatch found no contact for the number, so it names none. */
    private static DispatchResult campaign(MetaRecords.Contact contact, String requestId, String wamid, Instant at) {
        return MetaRecords.sentTemplate(contact, requestId, wamid, at)
                .setOrigin(Origin.CAMPAIGN)
                .setContactId(null)
                .build();
    }

    private static MessageStatus status(
            MetaRecords.Contact contact, String wamid, DeliveryStatus kind, Instant at, String requestId) {
        return MetaRecords.status(contact, wamid, kind, at)
                .setBizOpaqueCallbackData(requestId)
                .setPricing(kind == DeliveryStatus.READ ? null : MARKETING)
                .build();
    }

    private String bootstrapServers() {
        return environment.getRequiredProperty("spring.kafka.bootstrap-servers");
    }
}
