package io.janela.metrics.summary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.janela.avro.WindowOpenedMeasurement;
import io.janela.contract.ValueSerdes;
import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.streams.StoreCoders;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The summary store read through Kafka Streams' own interactive queries and metadata, on two real instances of the
 * summary step with {@code num.standby.replicas=1} (as deployed), against a real broker: what {@link SummaryPeers} and
 * {@link SummaryQuery} rely on Kafka Streams to answer — the active host of each partition, {@code NOT_ACTIVE} for a
 * standby copy, {@code NOT_PRESENT} for a partition not held — is Kafka's answer here, not an imitation of it.
 *
 * <p>The assignment is Kafka's to choose (a new member often gets only standbys until it has caught up), so each test
 * reads which instance serves what from the instances' own thread metadata and checks the summary against that.
 */
class SummaryStoreQueriesIT {

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    private static final String SCOPE = "summary-store-queries-it";
    private static final String TOPIC = "summary-store-queries-it.measurements";
    private static final String PHONE_NUMBER_ID = "106540352242922";
    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");
    private static final SummarySettings SETTINGS = new SummarySettings(Duration.ofMinutes(5), Duration.ofDays(35));
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** Windows opened per partition of the input (and so of the summary store). */
    private static final Map<Integer, Integer> OPENED = Map.of(0, 2, 1, 3);

    private static final HostInfo FIRST = new HostInfo("metrics-0.metrics", 18083);
    private static final HostInfo SECOND = new HostInfo("metrics-1.metrics", 18083);

    private static Path stateDir;
    private static KafkaStreams first;
    private static KafkaStreams second;

    @BeforeAll
    static void startTwoInstancesOnceTheInputIsWritten() throws Exception {
        StoreCoders.enable();
        stateDir = Files.createTempDirectory("summary-store-queries-it");
        kafka.broker().createTopics(new NewTopic(TOPIC, OPENED.size(), (short) 1));
        writeOpenedWindows();
        first = start(FIRST);
        await().atMost(TIMEOUT).until(() -> first.state() == KafkaStreams.State.RUNNING);
        second = start(SECOND);
        // Settled: both running, every partition active on one of them, and one of them holding a standby copy.
        await().atMost(TIMEOUT)
                .until(() -> running(first)
                        && running(second)
                        && active(first).size() + active(second).size() == OPENED.size()
                        && (!standby(first).isEmpty() || !standby(second).isEmpty()));
    }

    @AfterAll
    static void stop() {
        for (KafkaStreams streams : new KafkaStreams[] {first, second}) {
            if (streams != null) {
                streams.close(Duration.ofSeconds(30));
            }
        }
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void eachInstanceAsksEachPartitionOfTheInstanceKafkaStreamsNamesItsActiveHost() {
        Map<HostInfo, Set<Integer>> actives = Map.of(FIRST, active(first), SECOND, active(second));

        for (HostInfo self : List.of(FIRST, SECOND)) {
            KafkaStreams streams = self.equals(FIRST) ? first : second;
            Map<HostInfo, Set<Integer>> others = new HashMap<>(actives);
            Set<Integer> own = others.remove(self);
            others.values().removeIf(Set::isEmpty);

            assertThat(new SummaryPeers(() -> streams, self.host() + ":" + self.port()).assignment())
                    .isEqualTo(new SummaryAssignment.Shared(own, others));
        }
    }

    @Test
    void thePartitionsAnInstanceServesActivelyAddUpToWhatWasWrittenToThem() {
        for (KafkaStreams streams : List.of(first, second)) {
            Set<Integer> active = active(streams);

            SummaryPartial partial = query(streams).localPartial(PHONE_NUMBER_ID, AT, AT.plusSeconds(3600), active);

            assertThat(partial.windowsOpened())
                    .isEqualTo(active.stream().mapToLong(OPENED::get).sum());
        }
    }

    @Test
    void aStandbyCopyAskedForMakesTheSummaryUnavailableWithKafkasNotActive() {
        KafkaStreams holder = standby(first).isEmpty() ? second : first;
        Set<Integer> asked = new TreeSet<>(active(holder));
        asked.addAll(standby(holder));

        assertThatThrownBy(() -> query(holder).localPartial(PHONE_NUMBER_ID, AT, AT.plusSeconds(3600), asked))
                .isInstanceOf(SummaryUnavailableException.class)
                .hasMessageContaining("NOT_ACTIVE");
    }

    @Test
    void aPartitionNotHeldHereMakesTheSummaryUnavailableWithKafkasNotPresent() {
        Set<Integer> asked = new TreeSet<>(active(first));
        asked.add(OPENED.size()); // no such partition: held nowhere

        assertThatThrownBy(() -> query(first).localPartial(PHONE_NUMBER_ID, AT, AT.plusSeconds(3600), asked))
                .isInstanceOf(SummaryUnavailableException.class)
                .hasMessageContaining(OPENED.size() + "=NOT_PRESENT");
    }

    @Test
    void anInstanceTakenToBeTheOnlyOneIsUnavailableWhileItHoldsAStandbyCopy() {
        KafkaStreams holder = standby(first).isEmpty() ? second : first;

        assertThatThrownBy(() -> query(holder).localPartial(PHONE_NUMBER_ID, AT, AT.plusSeconds(3600)))
                .isInstanceOf(SummaryUnavailableException.class)
                .hasMessageContaining("NOT_ACTIVE");
    }

    @Test
    void anInstanceNotStartedYetCannotSayWhoServesWhat() {
        try (KafkaStreams created =
                new KafkaStreams(topology(), properties(new HostInfo("metrics-2.metrics", 18083)))) {
            assertThatThrownBy(() -> new SummaryPeers(() -> created, "metrics-2.metrics:18083").assignment())
                    .isInstanceOf(SummaryUnavailableException.class)
                    .hasMessageContaining("not running");
            assertThatThrownBy(() -> query(created).localPartial(PHONE_NUMBER_ID, AT, AT.plusSeconds(3600)))
                    .isInstanceOf(SummaryUnavailableException.class);
        }
    }

    @Test
    void overHttpAPeerGetsThePartOfThePartitionsItServesActivelyAndServiceUnavailableForAStandby() {
        KafkaStreams holder = standby(first).isEmpty() ? second : first;
        HostInfo self = holder == first ? FIRST : SECOND;
        WebTestClient http = WebTestClient.bindToController(new SummaryController(
                        query(holder),
                        new SummaryPeers(() -> holder, self.host() + ":" + self.port()),
                        Clock.fixed(AT.plusSeconds(3600), ZoneOffset.UTC),
                        SummaryControllerTest.PROPERTIES))
                .build();
        Set<Integer> active = active(holder);

        http.get()
                .uri("/metrics/summary/partial?phoneNumberId=" + PHONE_NUMBER_ID + "&from=" + AT + "&to="
                        + AT.plusSeconds(3600) + "&partitions=" + joined(active))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(SummaryPartial.class)
                .value(partial -> assertThat(partial.windowsOpened())
                        .isEqualTo(active.stream().mapToLong(OPENED::get).sum()));
        http.get()
                .uri("/metrics/summary/partial?phoneNumberId=" + PHONE_NUMBER_ID + "&partitions="
                        + joined(standby(holder)))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader()
                .valueEquals("Retry-After", "5");
    }

    /** The summary step alone: window measurements in, the summary store of buckets per phone number id. */
    private static Topology topology() {
        Serde<WindowOpenedMeasurement> opened = ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE))
                .forType(WindowOpenedMeasurement.class);
        Serde<SummaryBucket> buckets = ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE))
                .forType(SummaryBucket.class);
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Object> measurements = builder.stream(
                        TOPIC, Consumed.with(Serdes.String(), opened).withName("summary-it-measurements"))
                .mapValues(value -> (Object) value, Named.as("summary-it-as-measurement"));
        SummaryStream.addTo(measurements, buckets, SETTINGS);
        return builder.build();
    }

    private static KafkaStreams start(HostInfo host) {
        KafkaStreams streams = new KafkaStreams(topology(), properties(host));
        streams.start();
        return streams;
    }

    private static Properties properties(HostInfo host) {
        Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "summary-store-queries-it");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(
                StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(host.host()).toString());
        properties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, host.host() + ":" + host.port());
        properties.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        properties.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        properties.put("consumer.session.timeout.ms", 10_000);
        return properties;
    }

    private static void writeOpenedWindows() throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true);
        Serde<WindowOpenedMeasurement> serde = ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE))
                .forType(WindowOpenedMeasurement.class);
        try (KafkaProducer<String, WindowOpenedMeasurement> producer =
                new KafkaProducer<>(config, new StringSerializer(), serde.serializer())) {
            for (Map.Entry<Integer, Integer> partition : OPENED.entrySet()) {
                for (int i = 0; i < partition.getValue(); i++) {
                    String contact = "US.p" + partition.getKey() + "c" + i;
                    WindowOpenedMeasurement measurement = WindowOpenedMeasurement.newBuilder()
                            .setMeasurementId(contact + ":opened:" + AT.toEpochMilli())
                            .setPhoneNumberId(PHONE_NUMBER_ID)
                            .setContactId(contact)
                            .setOccurredAt(AT.plusSeconds(i))
                            .setFirstContact(true)
                            .build();
                    producer.send(new ProducerRecord<>(
                                    TOPIC, partition.getKey(), AT.plusSeconds(i).toEpochMilli(), contact, measurement))
                            .get();
                }
            }
        }
    }

    private static SummaryQuery query(KafkaStreams streams) {
        return new SummaryQuery(() -> streams, SETTINGS);
    }

    private static boolean running(KafkaStreams streams) {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    private static Set<Integer> active(KafkaStreams streams) {
        return partitions(streams, thread -> thread.activeTasks());
    }

    private static Set<Integer> standby(KafkaStreams streams) {
        return partitions(streams, thread -> thread.standbyTasks());
    }

    private static Set<Integer> partitions(
            KafkaStreams streams, Function<org.apache.kafka.streams.ThreadMetadata, Set<TaskMetadata>> tasks) {
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> tasks.apply(thread).stream())
                .map(task -> task.taskId().partition())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String joined(Set<Integer> partitions) {
        return partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
