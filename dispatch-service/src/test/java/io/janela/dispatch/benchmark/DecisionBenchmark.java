package io.janela.dispatch.benchmark;

import io.janela.avro.ContactWindow;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.TextPayload;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.TopologyHarness;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.decision.DecisionMetrics;
import io.janela.dispatch.decision.DecisionTopology;
import io.janela.dispatch.pricing.CostEstimator;
import io.janela.dispatch.pricing.RateCard;
import io.janela.dispatch.rules.Decider;
import io.janela.dispatch.topics.DispatchTopics;
import io.janela.localkafka.LocalKafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * Decisions per second through dispatch's decision topology (intake, re-keying by contact, the window and preference
 * joins, the decision) on a real Kafka node (local-kafka) with exactly-once v2, next to a pass-through topology that
 * does the same Avro reading, re-keying and writing, run on the same broker and input in the same run.
 *
 * <pre>
 * ./mvnw -q -pl dispatch-service -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.janela.dispatch.benchmark.DecisionBenchmark -Dexec.args="requests=200000 contacts=20000"
 * </pre>
 *
 * Every request is a free-form text to a contact with an open window, so every decision is a send (the longest path:
 * it prices the message and writes a send command). Arguments: {@code requests}, {@code contacts},
 * {@code partitions}, {@code threads} (stream threads).
 */
public final class DecisionBenchmark {

    private static final String SCOPE = "decision-benchmark";

    private DecisionBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args);
        int requests = Integer.parseInt(options.getOrDefault("requests", "200000"));
        int contacts = Integer.parseInt(options.getOrDefault("contacts", "20000"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "6"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "1"));
        Fixtures.businessNumber(); // trusts Avro's generated classes
        Path data = Files.createTempDirectory("dispatch-decision-benchmark-");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(data, 0, 0, Map.of())) {
            ValueSerdes values = ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE));
            JanelaTopics shared = JanelaTopics.create(TopicNames.defaults(), values);
            DispatchTopics topics = DispatchTopics.create(shared, TopologyHarness.OWN_TOPICS, values);
            createTopics(broker.bootstrapServers(), shared, topics, partitions);
            long produceStart = System.nanoTime();
            produceInput(broker.bootstrapServers(), shared, requests, contacts);
            System.out.printf(
                    Locale.ROOT,
                    "Produced %,d requests for %,d contacts in %.1f s%n",
                    requests,
                    contacts,
                    (System.nanoTime() - produceStart) / 1e9);

            Result baseline = run(
                    "pass-through",
                    passThrough(shared, "bench.pass-through-out"),
                    broker.bootstrapServers(),
                    "bench.pass-through-out",
                    requests,
                    threads);
            Result decisions = run(
                    "decision topology",
                    DecisionTopology.build(settings(topics), config("unused", broker.bootstrapServers(), threads)),
                    broker.bootstrapServers(),
                    topics.sendCommands().name(),
                    requests,
                    threads);

            System.out.println();
            System.out.println("| topology | records | seconds | records/s |");
            System.out.println("|---|---|---|---|");
            for (Result result : List.of(baseline, decisions)) {
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %,d | %.2f | %,.0f |%n",
                        result.name(),
                        result.records(),
                        result.seconds(),
                        result.perSecond());
            }
            System.out.printf(
                    Locale.ROOT,
                    "%nDecisions: %,.0f/s = %.2f x the pass-through baseline (%,.0f/s). Bar: >= 10,000/s.%n",
                    decisions.perSecond(),
                    decisions.perSecond() / baseline.perSecond(),
                    baseline.perSecond());
        }
    }

    record Result(String name, long records, double seconds) {
        double perSecond() {
            return records / seconds;
        }
    }

    /** Runs a topology from the start of the input until {@code expected} records are on its output topic. */
    private static Result run(
            String name, Topology topology, String bootstrap, String output, int expected, int threads)
            throws InterruptedException {
        String applicationId = "bench-" + name.replace(' ', '-') + "-" + UUID.randomUUID();
        try (KafkaStreams streams = new KafkaStreams(topology, config(applicationId, bootstrap, threads));
                KafkaConsumer<byte[], byte[]> consumer = outputConsumer(bootstrap)) {
            List<TopicPartition> partitions = consumer.partitionsFor(output).stream()
                    .map(info -> new TopicPartition(output, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            streams.start();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            long began = System.nanoTime();
            long seen = 0;
            while (seen < expected) {
                seen += consumer.poll(Duration.ofMillis(100)).count();
                if (System.nanoTime() - began > TimeUnit.MINUTES.toNanos(10)) {
                    throw new IllegalStateException(name + " produced only " + seen + " of " + expected);
                }
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            System.out.printf(Locale.ROOT, "%s: %,d records in %.2f s%n", name, seen, seconds);
            return new Result(name, seen, seconds);
        }
    }

    /** Reads Avro requests, re-keys them by contact through a repartition topic, and writes them back as Avro. */
    private static Topology passThrough(JanelaTopics topics, String output) {
        StreamsBuilder builder = new StreamsBuilder();
        var requests = topics.outboundRequests();
        builder.stream(
                        requests.name(),
                        Consumed.with(Serdes.ByteArray(), requests.valueSerde()).withName("bench-source"))
                .selectKey(
                        (key, request) -> request.getPhoneNumberId() + ":"
                                + request.getRecipient().getUserId(),
                        Named.as("bench-contact-key"))
                .repartition(Repartitioned.<String, OutboundRequest>as("bench-by-contact")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(requests.valueSerde()))
                .mapValues(request -> request, Named.as("bench-identity"))
                .to(
                        output,
                        Produced.with(Serdes.String(), requests.valueSerde()).withName("bench-sink"));
        return builder.build();
    }

    private static DecisionTopology.Settings settings(DispatchTopics topics) {
        RateCard rateCard =
                RateCard.read(DecisionBenchmark.class.getResourceAsStream("/rate-card-example.csv"), "example");
        DispatchProperties.Decision decision = TopologyHarness.DECISION;
        return new DecisionTopology.Settings(
                topics,
                decision,
                new BusinessNumbers(List.of(Fixtures.businessNumber())),
                new Decider(decision.windowSafetyMargin(), new CostEstimator(rateCard)),
                new DecisionMetrics(new SimpleMeterRegistry()));
    }

    private static Properties config(String applicationId, String bootstrap, int threads) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        config.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, "reuse.ktable.source.topics");
        config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "whatsapp.outbound-requests.dead-letter");
        config.put(
                StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                "io.janela.streams.DeadLetterDeserializationExceptionHandler");
        config.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        try {
            config.put(
                    StreamsConfig.STATE_DIR_CONFIG,
                    Files.createTempDirectory("bench-state-").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return config;
    }

    private static KafkaConsumer<byte[], byte[]> outputConsumer(String bootstrap) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private static void createTopics(String bootstrap, JanelaTopics shared, DispatchTopics topics, int partitions)
            throws Exception {
        List<NewTopic> all = new ArrayList<>();
        for (var topic : shared.all()) {
            NewTopic newTopic = new NewTopic(topic.name(), partitions, (short) 1);
            if (topic.compacted()) {
                newTopic.configs(Map.of("cleanup.policy", "compact"));
            }
            all.add(newTopic);
        }
        all.add(new NewTopic(topics.sendCommands().name(), partitions, (short) 1));
        all.add(new NewTopic("bench.pass-through-out", partitions, (short) 1));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(all).all().get(60, TimeUnit.SECONDS);
        }
    }

    private static void produceInput(String bootstrap, JanelaTopics topics, int requests, int contacts)
            throws Exception {
        Map<String, Object> config = Benchmarks.inputProducer(bootstrap);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        Instant now = Instant.now();
        try (KafkaProducer<String, ContactWindow> windows = new KafkaProducer<>(
                        config,
                        new StringSerializer(),
                        topics.windowState().valueSerde().serializer());
                KafkaProducer<String, OutboundRequest> producer = new KafkaProducer<>(
                        config,
                        new StringSerializer(),
                        topics.outboundRequests().valueSerde().serializer())) {
            for (int i = 0; i < contacts; i++) {
                String contact = "US.bench" + i;
                windows.send(new ProducerRecord<>(
                        topics.windowState().name(),
                        Fixtures.PHONE_NUMBER_ID + ":" + contact,
                        Fixtures.openWindow(now.minus(Duration.ofHours(1)))
                                .setContactId(contact)
                                .setUserId(contact)
                                .build()));
            }
            windows.flush();
            for (int i = 0; i < requests; i++) {
                String contact = "US.bench" + (i % contacts);
                OutboundRequest request = OutboundRequest.newBuilder()
                        .setRequestId("bench-" + i)
                        .setPhoneNumberId(Fixtures.PHONE_NUMBER_ID)
                        .setRecipient(new Recipient(null, contact))
                        .setCreatedAt(now)
                        .setPayload(new TextPayload("Your order " + i + " has shipped.", false))
                        .build();
                producer.send(new ProducerRecord<>(topics.outboundRequests().name(), "producer-key-" + i, request));
            }
            producer.flush();
        }
    }
}
