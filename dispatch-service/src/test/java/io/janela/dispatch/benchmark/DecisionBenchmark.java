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
import io.janela.testsupport.benchmark.FanOutPassThrough;
import io.janela.testsupport.benchmark.FourCells;
import io.janela.testsupport.benchmark.Guarantee;
import io.janela.testsupport.benchmark.Machine;
import io.janela.testsupport.benchmark.ThroughputRun;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The four-cell throughput benchmark of dispatch's decision topology (DESIGN.md §5, docs/benchmarks.md
 * "dispatch-service", "Four cells"): requests per second through a like-for-like pass-through and through the decision
 * topology (intake, re-keying by contact, the window and preference joins, the decision), each under exactly-once v2
 * and at-least-once, on one Kafka node (local-kafka) in this JVM, the same input, in the same run, round after round.
 * Every application is new (from empty state), runs one stream thread (or {@code threads}) with the dispatch-service's
 * Streams settings (printed at the start), and is timed by {@link ThroughputRun}: from RUNNING until it has committed
 * every request and its repartition topics, and, for the decision topology, written exactly one send command per
 * request (read committed).
 *
 * <p>Every request is a free-form text to a contact with an open window (the windows are on whatsapp.window-state
 * before the run, restored into each application's table before RUNNING), so every decision is a send: the longest
 * path (dedupe, the window join, the decision, pricing, a send command). Per request the decision topology writes a
 * record to its repartition topic (by contact), a send command and a record of its request-id store's changelog
 * ({@code --topic-sizes} prints what it wrote); the pass-through reads the same Avro requests, re-keys them by contact
 * through a repartition topic and writes each to {@code copies} (2) topics: as many records per request.
 *
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
 *   -Dmdep.includeScope=test -pl dispatch-service -am
 * cd dispatch-service &amp;&amp; nice -n 10 java -cp target/test-classes:target/classes:$(cat target/bench.cp) \
 *   io.janela.dispatch.benchmark.DecisionBenchmark requests=200000 contacts=20000 rounds=3
 * </pre>
 *
 * <p>Arguments: {@code requests} (200,000), {@code contacts} (20,000), {@code partitions} (6), {@code rounds} (3),
 * {@code threads} (1), {@code copies} (2), {@code guarantees} ({@code exactly_once_v2,at_least_once}),
 * {@code topic-sizes}, {@code no-warmup}.
 */
public final class DecisionBenchmark {

    private static final String SCOPE = "decision-benchmark";
    private static final String COPY_PREFIX = "benchmark.avro-pass-through.";
    private static final Duration TIMEOUT = Duration.ofMinutes(30);

    private final String bootstrapServers;
    private final Path stateRoot;
    private final int threads;
    private final JanelaTopics shared;
    private final DispatchTopics topics;

    private DecisionBenchmark(String bootstrapServers, Path stateRoot, int threads) {
        this.bootstrapServers = bootstrapServers;
        this.stateRoot = stateRoot;
        this.threads = threads;
        ValueSerdes values = ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE));
        this.shared = JanelaTopics.create(TopicNames.defaults(), values);
        this.topics = DispatchTopics.create(shared, TopologyHarness.OWN_TOPICS, values);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args);
        int requests = Integer.parseInt(options.getOrDefault("requests", "200000"));
        int contacts = Integer.parseInt(options.getOrDefault("contacts", "20000"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "6"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int threads = Integer.parseInt(options.getOrDefault("threads", "1"));
        int copies = Integer.parseInt(options.getOrDefault("copies", "2"));
        List<Guarantee> guarantees =
                Guarantee.parse(options.getOrDefault("guarantees", "exactly_once_v2,at_least_once"));
        Fixtures.businessNumber(); // trusts Avro's generated classes
        Path data = Files.createTempDirectory("dispatch-decision-benchmark-");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(data.resolve("kafka"), 0, 0, Map.of())) {
            DecisionBenchmark benchmark =
                    new DecisionBenchmark(broker.bootstrapServers(), data.resolve("state"), threads);
            List<String> outputs = FanOutPassThrough.outputs(
                    COPY_PREFIX, benchmark.shared.outboundRequests().name(), copies);
            benchmark.createTopics(partitions, outputs);
            long produceStart = System.nanoTime();
            benchmark.produce(requests, contacts);
            System.out.printf(
                    "input: %,d requests for %,d contacts with open windows, %d partitions, produced in %.1f s%n",
                    requests, contacts, partitions, (System.nanoTime() - produceStart) / 1e9);
            System.out.println("load average at start " + Machine.loadAverage());
            System.out.println("settings of every application (the dispatch-service's application.yml and Janela's"
                    + " Streams auto-configuration): " + FourCells.settings(benchmark.settings(null)));
            List<String> inputs = List.of(benchmark.shared.outboundRequests().name());
            ThroughputRun passThroughRun = new ThroughputRun(broker.bootstrapServers(), inputs, List.of(), 0, TIMEOUT);
            ThroughputRun decisionRun = new ThroughputRun(
                    broker.bootstrapServers(),
                    inputs,
                    List.of(benchmark.topics.sendCommands().name()),
                    requests,
                    TIMEOUT);
            if (!options.containsKey("no-warmup")) {
                // The first run of each warms the JIT of the clients and of the broker, which share this JVM.
                Guarantee warm = guarantees.get(0);
                passThroughRun.recordsPerSecond(
                        benchmark.passThrough(outputs), benchmark.config("pass-through-warmup", warm), requests);
                decisionRun.recordsPerSecond(
                        benchmark.decisionTopology(), benchmark.config("decision-warmup", warm), requests);
                System.out.println("warm-up done, load average " + Machine.loadAverage());
            }
            FourCells cells = new FourCells(
                    "free-form requests", "decision topology", "Avro re-key pass-through to " + copies + " topics");
            for (int round = 1; round <= rounds; round++) {
                for (Guarantee guarantee : guarantees) {
                    String suffix = "-" + guarantee.config().replace('_', '-') + "-" + round;
                    double copied = passThroughRun.recordsPerSecond(
                            benchmark.passThrough(outputs),
                            benchmark.config("pass-through" + suffix, guarantee),
                            requests);
                    double decided = decisionRun.recordsPerSecond(
                            benchmark.decisionTopology(), benchmark.config("decision" + suffix, guarantee), requests);
                    System.out.println(cells.add(guarantee, copied, decided) + " (load " + Machine.loadAverage() + ")");
                    if (options.containsKey("topic-sizes")) {
                        ThroughputRun.printWritten(broker.bootstrapServers(), "decision" + suffix, requests);
                        ThroughputRun.printWritten(broker.bootstrapServers(), "pass-through" + suffix, requests);
                    }
                }
            }
            cells.summary().forEach(System.out::println);
            System.out.println("load average at end " + Machine.loadAverage());
        }
        System.exit(0); // the in-process broker leaves non-daemon threads behind
    }

    /**
     * Reads the Avro requests, re-keys them by contact through a repartition topic (as the decision topology does
     * before its join) and writes each, as Avro, to every topic of {@code outputs}.
     */
    private Topology passThrough(List<String> outputs) {
        StreamsBuilder builder = new StreamsBuilder();
        var requests = shared.outboundRequests();
        FanOutPassThrough.addRekeyed(
                builder,
                requests.name(),
                Serdes.ByteArray(),
                requests.valueSerde(),
                (key, request) -> request.getPhoneNumberId() + ":"
                        + request.getRecipient().getUserId(),
                Serdes.String(),
                "bench-by-contact",
                outputs,
                "bench");
        return builder.build();
    }

    private Topology decisionTopology() {
        RateCard rateCard =
                RateCard.read(DecisionBenchmark.class.getResourceAsStream("/rate-card-example.csv"), "example");
        DispatchProperties.Decision decision = TopologyHarness.DECISION;
        DecisionTopology.Settings settings = new DecisionTopology.Settings(
                topics,
                decision,
                new BusinessNumbers(List.of(Fixtures.businessNumber())),
                new Decider(decision.windowSafetyMargin(), new CostEstimator(rateCard)),
                new DecisionMetrics(new SimpleMeterRegistry()));
        return DecisionTopology.build(settings, config("unused", Guarantee.EXACTLY_ONCE_V2));
    }

    /**
     * What every application runs with besides its name and state directory: the dispatch-service's settings
     * ({@code commit.interval.ms} 100 and {@code topology.optimization} reuse.ktable.source.topics from its
     * application.yml, transactional state stores from Janela's Streams auto-configuration, Kafka's default record
     * cache and {@code max.task.idle.ms}), {@code threads} stream threads (the service runs 2; the other services'
     * four cells run 1). {@code guarantee} null: without {@code processing.guarantee}.
     */
    private Map<String, Object> settings(Guarantee guarantee) {
        Map<String, Object> config = new HashMap<>();
        if (guarantee != null) {
            config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee.config());
        }
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        config.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        config.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        return config;
    }

    private Properties config(String applicationId, Guarantee guarantee) {
        Properties config = new Properties();
        config.putAll(settings(guarantee));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(
                StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(applicationId).toString());
        config.put(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                shared.outboundRequestsDeadLetter().name());
        config.put(
                StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                "io.janela.streams.DeadLetterDeserializationExceptionHandler");
        return config;
    }

    private void createTopics(int partitions, List<String> outputs) throws Exception {
        List<NewTopic> all = new ArrayList<>();
        for (var topic : shared.all()) {
            all.add(new NewTopic(topic.name(), partitions, (short) 1).configs(topic.requiredConfigs()));
        }
        all.add(new NewTopic(topics.sendCommands().name(), partitions, (short) 1));
        outputs.forEach(output -> all.add(new NewTopic(output, partitions, (short) 1)));
        ThroughputRun.createTopics(bootstrapServers, all);
    }

    private void produce(int requests, int contacts) {
        Map<String, Object> config = Benchmarks.inputProducer(bootstrapServers);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        Instant now = Instant.now();
        try (KafkaProducer<String, ContactWindow> windows = new KafkaProducer<>(
                        config,
                        new StringSerializer(),
                        shared.windowState().valueSerde().serializer());
                KafkaProducer<String, OutboundRequest> producer = new KafkaProducer<>(
                        config,
                        new StringSerializer(),
                        shared.outboundRequests().valueSerde().serializer())) {
            for (int i = 0; i < contacts; i++) {
                String contact = "US.bench" + i;
                windows.send(new ProducerRecord<>(
                        shared.windowState().name(),
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
                producer.send(new ProducerRecord<>(shared.outboundRequests().name(), "producer-key-" + i, request));
            }
            producer.flush();
        }
    }
}
