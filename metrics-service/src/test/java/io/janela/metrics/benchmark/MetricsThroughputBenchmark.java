package io.janela.metrics.benchmark;

import io.janela.avro.DeliveryStatus;
import io.janela.avro.MessageCategory;
import io.janela.avro.Origin;
import io.janela.avro.Pricing;
import io.janela.avro.PricingType;
import io.janela.avro.WindowEvent;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.localkafka.LocalKafkaBroker;
import io.janela.metrics.hours.Schedules;
import io.janela.metrics.message.MessageKeys;
import io.janela.metrics.sla.SlaSettings;
import io.janela.metrics.sla.SlaTargets;
import io.janela.metrics.streams.MeasurementSettings;
import io.janela.metrics.streams.MeasurementTopics;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.metrics.summary.SummarySettings;
import io.janela.metrics.testing.InputProducer;
import io.janela.metrics.topology.MetricsTopology;
import io.janela.testfixtures.MetaRecords;
import io.janela.testfixtures.MetaRecords.Contact;
import io.janela.testsupport.benchmark.FanOutPassThrough;
import io.janela.testsupport.benchmark.FourCells;
import io.janela.testsupport.benchmark.Guarantee;
import io.janela.testsupport.benchmark.ThroughputRun;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KeyValueMapper;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The metrics-service's four-cell throughput benchmark (DESIGN.md §5, docs/benchmarks.md "metrics-service"): input
 * records per second through a like-for-like Avro pass-through (of the metrics topology's shape: as many records written
 * per input, as many of them through a repartition topic and read back, with the same deserialization and
 * serialization; see {@link #CUSTOMER_COPIES}) and through the metrics topology, each under exactly-once v2 and
 * at-least-once, on the same broker and the same input, in the same run, round after round.
 * With {@code --extra-baselines}, also the earlier runs' baselines: the four input topics copied as bytes to one output
 * topic, and each input read as Avro and written back to one copy of its topic. Every application runs with one stream
 * thread and the service's Streams settings (printed at the start), against one in-JVM Kafka node
 * ({@link LocalKafkaBroker}); the clock runs from RUNNING until the application has committed everything it reads (its
 * repartition topics included) and, for the metrics topology, written every measurement it should, exactly once (the
 * run fails otherwise, under either guarantee). {@code --topic-sizes} counts what each application wrote (read
 * committed, per topic) and prints the pass-through's and the topology's records per input side by side.
 *
 * <p>The input is made of conversations of 12 records each, in the mix the service sees: a customer message and the
 * window's OPENED event, a bot reply (dispatch result and sent, delivered, read statuses), a second customer message
 * and an agent reply (the same five records), and the CLOSED event.
 *
 * <pre>
 * ./mvnw -q -pl metrics-service -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.janela.metrics.benchmark.MetricsThroughputBenchmark \
 *   -Dexec.args="--conversations=100000 --partitions=3 --rounds=3"
 * </pre>
 *
 * <p>{@code --guarantees=exactly_once_v2,at_least_once} (the default) picks the guarantees; {@code --streams.NAME=VALUE}
 * sets any Streams property of every application. {@code --sla} gives the metrics topology SLA targets (none by
 * default, as the service); {@code --sla-variant} runs it a second time in every round with them, after the one
 * without. A metrics run that ends short of its measurements keeps counting them per topic for
 * {@code --late-wait-seconds} (120) and says whether they came late or never; {@code --short-quiet-ms} (30,000) is
 * how long it waits without new output while short, and {@code --warmup-repeat=K} runs the metrics warm-up K times,
 * going on after a short one. {@code --closed-last} writes every CLOSED window event after all other input records
 * (see {@code produce}). {@code --copies-baseline=N} also runs, in every round, the Avro pass-through writing each input
 * to N topics without re-keying (N = 2: the baseline before the like-for-like one), and {@code --topic-sizes} counts
 * what every application wrote.
 */
public final class MetricsThroughputBenchmark {

    private static final String SCOPE = "metrics-benchmark";
    private static final int RECORDS_PER_CONVERSATION = 12;
    /**
     * What each conversation gives: a window opened and closed, a first response, two response times, and per reply
     * a message sent, priced, delivered and read.
     */
    private static final int MEASUREMENTS_PER_CONVERSATION = 13;

    private static final String PASS_THROUGH_OUTPUT = "benchmark.pass-through";
    private static final String AVRO_PASS_THROUGH_PREFIX = "benchmark.avro-pass-through.";
    /**
     * The like-for-like pass-through's shape, the metrics topology's ({@code --topic-sizes}, 20,000 conversations):
     * per conversation of 12 inputs the topology writes 13 measurements, about 7.3 state changelog records and 8
     * records to its by-message repartition topics, which it reads back: 2.36 records per input, 0.67 of them
     * repartitioned. The pass-through re-keys the statuses and dispatch results (8 of the 12 inputs) by message as the
     * topology does, through a repartition topic, and writes each to {@value #MESSAGE_COPIES} topic; it writes the
     * customer messages and window events (4 of 12) to {@value #CUSTOMER_COPIES} topics each: 28 records per 12
     * inputs, 2.33 per input, 0.67 of them repartitioned and read back.
     */
    private static final int CUSTOMER_COPIES = 3;

    /** See {@link #CUSTOMER_COPIES}: the copies of each status and dispatch result, after its repartition. */
    private static final int MESSAGE_COPIES = 1;

    /** Records written per input by each application run with {@code --topic-sizes}: total, repartitioned. */
    private final Map<String, double[]> written = new HashMap<>();

    private final String bootstrapServers;
    private final JanelaTopics topics;
    private final MeasurementTopics measurements;
    private final ValueSerdes serdes;
    private final Path stateRoot;
    private final Map<String, String> extraStreamsConfig = new HashMap<>();
    private final Map<String, String> options = new HashMap<>();

    private MetricsThroughputBenchmark(String bootstrapServers, Path stateRoot) {
        this.bootstrapServers = bootstrapServers;
        this.stateRoot = stateRoot;
        this.serdes = ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE));
        this.topics = JanelaTopics.create(TopicNames.defaults(), serdes);
        this.measurements = MeasurementTopics.create(MeasurementTopics.Names.defaults(), serdes);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int conversations = Integer.parseInt(options.getOrDefault("conversations", "100000"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "3"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        // Events start an hour ago; CLOSED events lie a day ahead (a window closes 24 h after it opened, and the input
        // arrives all at once). Nothing older: a broker forgets a producer whose newest record timestamp is older than
        // producer.id.expiration.ms (a day), and the producers' next sends fail with out-of-order sequence errors.
        Duration eventAge = Duration.ofHours(Long.parseLong(options.getOrDefault("event-age-hours", "1")));
        Path data = Files.createTempDirectory("metrics-benchmark-");
        // Kafka 4 refuses timestamps more than an hour ahead by default; the CLOSED events are a day ahead.
        Map<String, String> brokerConfig = Map.of(
                "log.message.timestamp.after.max.ms",
                Long.toString(Duration.ofDays(3).toMillis()));
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(data.resolve("kafka"), 0, 0, brokerConfig)) {
            MetricsThroughputBenchmark benchmark =
                    new MetricsThroughputBenchmark(broker.bootstrapServers(), data.resolve("state"));
            options.forEach((key, value) -> {
                if (key.startsWith("streams.")) {
                    benchmark.extraStreamsConfig.put(key.substring("streams.".length()), value);
                }
            });
            benchmark.options.putAll(options);
            benchmark.createTopics(partitions);
            long produceStart = System.nanoTime();
            long records = benchmark.produce(conversations, eventAge);
            System.out.printf(
                    "input: %,d records (%,d conversations) on %d partitions, produced in %.1f s%n",
                    records, conversations, partitions, seconds(System.nanoTime() - produceStart));
            List<Guarantee> guarantees =
                    Guarantee.parse(options.getOrDefault("guarantees", "exactly_once_v2,at_least_once"));
            boolean extraBaselines = options.containsKey("extra-baselines");
            System.out.println("load average at start " + loadAverage());
            System.out.println("settings of every application (the metrics-service's application.yml and Janela's"
                    + " Streams auto-configuration): " + FourCells.settings(benchmark.settings(null)));
            if (!options.containsKey("no-warmup")) {
                // The first run of each warms the JIT of the clients and of the broker, which share this JVM.
                Guarantee warm = guarantees.get(0);
                benchmark.run("like-for-like-warmup", benchmark.likeForLikePassThrough(), records, List.of(), 0, warm);
                // --warmup-repeat=K runs the metrics warm-up K times and goes on after a short count (reported as
                // late or lost): the check of a run ending short of its measurements, docs/benchmarks.md.
                int repeat = Integer.parseInt(options.getOrDefault("warmup-repeat", "1"));
                for (int warmup = 1; warmup <= repeat; warmup++) {
                    try {
                        benchmark.run(
                                repeat == 1 ? "metrics-warmup" : "metrics-warmup-" + warmup,
                                benchmark.metricsTopology(),
                                records,
                                benchmark.measurementTopicNames(),
                                (long) conversations * MEASUREMENTS_PER_CONVERSATION,
                                warm);
                    } catch (IllegalStateException e) {
                        if (repeat == 1) {
                            throw e;
                        }
                        System.out.println("  " + e.getMessage());
                    }
                    System.out.println("  load average " + loadAverage());
                }
                System.out.println("warm-up done");
            }
            FourCells cells = new FourCells(
                    "metrics", "metrics topology", "Avro pass-through re-keying statuses and results by message");
            for (int round = 1; round <= rounds; round++) {
                for (Guarantee guarantee : guarantees) {
                    String suffix = "-" + guarantee.config().replace('_', '-') + "-" + round;
                    double fanOut = benchmark.run(
                            "like-for-like" + suffix,
                            benchmark.likeForLikePassThrough(),
                            records,
                            List.of(),
                            0,
                            guarantee);
                    double measured = benchmark.run(
                            "metrics" + suffix,
                            benchmark.metricsTopology(),
                            records,
                            benchmark.measurementTopicNames(),
                            (long) conversations * MEASUREMENTS_PER_CONVERSATION,
                            guarantee);
                    System.out.println(cells.add(guarantee, fanOut, measured) + " (load " + loadAverage() + ")");
                    benchmark.printWrittenSideBySide("like-for-like" + suffix, "metrics" + suffix);
                    if (options.containsKey("sla-variant")) {
                        double withSla = benchmark.run(
                                "metrics-sla" + suffix,
                                benchmark.metricsTopology(true),
                                records,
                                benchmark.measurementTopicNames(),
                                (long) conversations * MEASUREMENTS_PER_CONVERSATION,
                                guarantee);
                        System.out.printf(
                                "  with SLA targets: %,.0f records/s, %.0f %% of the pass-through, %.0f %% of the"
                                        + " topology without targets%n",
                                withSla, 100 * withSla / fanOut, 100 * withSla / measured);
                    }
                    if (options.containsKey("copies-baseline")) {
                        // The baseline before the like-for-like one: every input read as Avro and written to as many
                        // topics, without re-keying (2: the runs before 2026-12-07 12:00).
                        int copies = Integer.parseInt(options.get("copies-baseline"));
                        double copied = benchmark.run(
                                "avro-fan-out" + suffix,
                                benchmark.avroPassThrough(copies),
                                records,
                                List.of(),
                                0,
                                guarantee);
                        System.out.printf(
                                "  and Avro pass-through to %d topics %,.0f records/s (metrics %.0f %% of it)%n",
                                copies, copied, 100 * measured / copied);
                    }
                    if (extraBaselines) {
                        double bytes = benchmark.run(
                                "pass-through" + suffix, benchmark.passThrough(), records, List.of(), 0, guarantee);
                        double avro = benchmark.run(
                                "avro-pass-through" + suffix,
                                benchmark.avroPassThrough(1),
                                records,
                                List.of(),
                                0,
                                guarantee);
                        System.out.printf(
                                "  and pass-through bytes %,.0f records/s (metrics %.0f %% of it), Avro to 1 topic"
                                        + " %,.0f records/s (%.0f %%)%n",
                                bytes, 100 * measured / bytes, avro, 100 * measured / avro);
                    }
                }
            }
            cells.summary().forEach(System.out::println);
            System.out.println("load average at end " + loadAverage());
        } finally {
            delete(data);
        }
    }

    private void createTopics(int partitions) {
        List<NewTopic> all = new ArrayList<>();
        for (TopicDescriptor<?, ?> topic : List.of(
                topics.inboundMessages(),
                topics.windowEvents(),
                topics.dispatchResults(),
                topics.messageStatuses(),
                topics.contactAliases(),
                topics.conversationResolutions(),
                topics.messageEchoes(),
                topics.surveyEvents(),
                topics.metricsDeadLetter())) {
            all.add(new NewTopic(topic.name(), partitions, (short) 1).configs(topic.requiredConfigs()));
        }
        for (TopicDescriptor<?, ?> topic : measurements.all()) {
            all.add(new NewTopic(topic.name(), partitions, (short) 1));
        }
        all.add(new NewTopic(PASS_THROUGH_OUTPUT, partitions, (short) 1));
        for (TopicDescriptor<?, ?> input : inputs()) {
            int copies = Math.max(CUSTOMER_COPIES, Integer.parseInt(options.getOrDefault("copies-baseline", "1")));
            for (String copy : FanOutPassThrough.outputs(AVRO_PASS_THROUGH_PREFIX, input.name(), copies)) {
                all.add(new NewTopic(copy, partitions, (short) 1));
            }
        }
        try {
            ThroughputRun.createTopics(bootstrapServers, all);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the benchmark's topics", e);
        }
    }

    /** Writes the conversations; returns how many input records that made. */
    private long produce(int conversations, Duration eventAge) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(eventAge);
        Pricing free = new Pricing(true, "PMP", PricingType.FREE_CUSTOMER_SERVICE, MessageCategory.SERVICE);
        // --closed-last: every CLOSED event after all other records, as the window-service writes them a day after
        // the opening. Otherwise each window-events partition holds a CLOSED dated a day ahead right behind its first
        // OPENED, and Kafka Streams' timestamp synchronization keeps the whole topic back until the task's other
        // inputs are drained: every window event comes in one burst at the end of the run.
        boolean closedLast = options.containsKey("closed-last");
        List<WindowEvent> closings = new ArrayList<>();
        try (InputProducer input = new InputProducer(bootstrapServers, "mock://" + SCOPE, false)) {
            for (int i = 0; i < conversations; i++) {
                Contact contact = new Contact("US.%020d".formatted(i), "1555%07d".formatted(i));
                Instant opened = base.plusSeconds(i);
                input.send(MetaRecords.customerMessage(contact, "wamid.c1-" + i, opened));
                input.send(MetaRecords.opened(contact, opened, "wamid.c1-" + i, i % 3 == 0));
                reply(input, contact, "b1-" + i, Origin.BOT, opened.plusSeconds(2), free);
                Instant second = opened.plusSeconds(120);
                input.send(MetaRecords.customerMessage(contact, "wamid.c2-" + i, second));
                reply(input, contact, "b2-" + i, Origin.AGENT, second.plusSeconds(95), free);
                if (closedLast) {
                    closings.add(MetaRecords.closed(contact, opened, second.plus(MetaRecords.WINDOW), true));
                } else {
                    input.send(MetaRecords.closed(contact, opened, second.plus(MetaRecords.WINDOW), true));
                }
            }
            closings.forEach(input::send);
        }
        return (long) conversations * RECORDS_PER_CONVERSATION;
    }

    private static void reply(
            InputProducer input, Contact contact, String id, Origin origin, Instant at, Pricing pricing) {
        String wamid = "wamid." + id;
        input.send(MetaRecords.sent(contact, "request-" + id, wamid, origin, at).build());
        input.send(MetaRecords.status(contact, wamid, DeliveryStatus.SENT, at)
                .setPricing(pricing)
                .build());
        input.send(MetaRecords.status(contact, wamid, DeliveryStatus.DELIVERED, at.plusSeconds(1))
                .setPricing(pricing)
                .build());
        input.send(MetaRecords.status(contact, wamid, DeliveryStatus.READ, at.plusSeconds(30))
                .build());
    }

    private Topology passThrough() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        List.of(
                                topics.inboundMessages().name(),
                                topics.windowEvents().name(),
                                topics.dispatchResults().name(),
                                topics.messageStatuses().name()),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("pass-through-source"))
                .to(
                        PASS_THROUGH_OUTPUT,
                        Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("pass-through-sink"));
        return builder.build();
    }

    /**
     * The like-for-like pass-through ({@link #CUSTOMER_COPIES}): each input read as the metrics topology reads it
     * (Avro, into its generated class); statuses and dispatch results re-keyed by message ({@link MessageKeys}, the
     * topology's key) through a repartition topic each and written to {@link #MESSAGE_COPIES} topic, customer messages
     * and window events written to {@link #CUSTOMER_COPIES} topics.
     */
    private Topology likeForLikePassThrough() {
        StreamsBuilder builder = new StreamsBuilder();
        copy(builder, topics.inboundMessages(), CUSTOMER_COPIES);
        copy(builder, topics.windowEvents(), CUSTOMER_COPIES);
        byMessage(builder, topics.messageStatuses(), (key, status) -> MessageKeys.of(status), "statuses");
        byMessage(builder, topics.dispatchResults(), (key, result) -> MessageKeys.of(result), "dispatch-results");
        return builder.build();
    }

    private static <V> void byMessage(
            StreamsBuilder builder,
            TopicDescriptor<String, V> input,
            KeyValueMapper<String, V, String> messageKey,
            String name) {
        FanOutPassThrough.addRekeyed(
                builder,
                input.name(),
                input.keySerde(),
                input.valueSerde(),
                messageKey,
                Serdes.String(),
                "pass-through-" + name + "-by-message",
                FanOutPassThrough.outputs(AVRO_PASS_THROUGH_PREFIX, input.name(), MESSAGE_COPIES),
                "avro-pass-through-" + input.name());
    }

    /**
     * Each input read as the metrics topology reads it (Avro, into its generated class) and written again as Avro to
     * {@code copies} copies of its topic: the deserialization and serialization any topology over these topics pays,
     * and no more (one copy, {@code --extra-baselines}).
     */
    private Topology avroPassThrough(int copies) {
        StreamsBuilder builder = new StreamsBuilder();
        for (TopicDescriptor<String, ?> input : inputs()) {
            copy(builder, input, copies);
        }
        return builder.build();
    }

    private static <V> void copy(StreamsBuilder builder, TopicDescriptor<String, V> input, int copies) {
        FanOutPassThrough.add(
                builder,
                input.name(),
                input.keySerde(),
                input.valueSerde(),
                FanOutPassThrough.outputs(AVRO_PASS_THROUGH_PREFIX, input.name(), copies),
                "avro-pass-through-" + input.name());
    }

    private List<TopicDescriptor<String, ?>> inputs() {
        return List.of(
                topics.inboundMessages(), topics.windowEvents(), topics.dispatchResults(), topics.messageStatuses());
    }

    /**
     * What every application here runs with besides its name and directories: the service's settings (Kafka's
     * default for the record cache, {@code max.task.idle.ms} −1 from its application.yml, transactional state stores
     * from Janela's Streams auto-configuration), one stream thread, {@code commit.interval.ms} 100 under both
     * guarantees (the service's,
     * exactly-once's default; at-least-once's default of 30 s would time commits, not processing), then any
     * {@code --streams.*} option. {@code guarantee} null: without {@code processing.guarantee}.
     */
    private Map<String, Object> settings(Guarantee guarantee) {
        Map<String, Object> config = new HashMap<>();
        if (guarantee != null) {
            config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee.config());
        }
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        config.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        config.putAll(extraStreamsConfig);
        return config;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    private List<String> measurementTopicNames() {
        return measurements.all().stream().map(TopicDescriptor::name).toList();
    }

    private Topology metricsTopology() {
        return metricsTopology(options.containsKey("sla"));
    }

    private Topology metricsTopology(boolean withSlaTargets) {
        MetricsTopology.Parts parts = new MetricsTopology.Parts(
                topics,
                measurements,
                serdes,
                // The service's defaults (janela.metrics.*) but a settle delay of 1 s instead of 30 s, so that the
                // measurements are emitted within the run: each still waits in the deadline index.
                new MeasurementSettings(
                        Duration.ofMillis(Long.parseLong(options.getOrDefault("settle-ms", "1000"))),
                        Duration.ofHours(48),
                        1000,
                        Duration.ofDays(8),
                        Duration.ofSeconds(1),
                        10_000,
                        10_000),
                new SummarySettings(Duration.ofMinutes(5), Duration.ofDays(35)),
                new StreamsMeters(new SimpleMeterRegistry()),
                sla(withSlaTargets),
                Integer.parseInt(options.getOrDefault("partitions", "3")));
        return MetricsTopology.build(parts, new Properties());
    }

    /**
     * No SLA targets (the service's default), or with {@code --sla} one for the benchmark's number: first response
     * within 5 minutes, next response within 15, calendar time, at risk from 80 % of it (every settle pass then
     * weighs each waiting contact against its target; the benchmark's replies come within 2 and 95 seconds, so no
     * notice is due).
     */
    private SlaSettings sla(boolean withTargets) {
        if (!withTargets) {
            return SlaSettings.NONE;
        }
        SlaTargets.Target target = new SlaTargets.Target(
                MetaRecords.PHONE_NUMBER_ID,
                null,
                Duration.ofMinutes(5),
                Duration.ofMinutes(15),
                SlaTargets.Clock.CALENDAR);
        return new SlaSettings(new SlaTargets(List.of(target), List.of()), Schedules.NONE, 0.8);
    }

    /**
     * Runs a topology over the whole input as a new application and returns input records per second: from RUNNING
     * until it has committed every record of its sources (the inputs and its internal topics) and written its last
     * record to {@code outputs}, which must then hold exactly
     * {@code expectedOutputs} records.
     */
    private double run(
            String applicationId,
            Topology topology,
            long records,
            List<String> outputs,
            long expectedOutputs,
            Guarantee guarantee)
            throws Exception {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(
                StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(applicationId).toString());
        config.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
        config.put(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                topics.metricsDeadLetter().name());
        config.putAll(settings(guarantee));
        if (options.containsKey("topic-sizes")) {
            // Kafka Streams deletes the repartition records it has committed every 30 s
            // (repartition.purge.interval.ms):
            // kept, so that they can be counted after a run that lasted longer. One deleteRecords call per 30 s is all
            // this leaves out.
            config.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, Long.MAX_VALUE);
        }
        Map<TopicPartition, Long> startOffsets;
        Map<TopicPartition, Long> writableStart = Map.of();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            startOffsets = ends(admin, outputs);
            if (options.containsKey("topic-sizes")) {
                writableStart = ends(admin, writable(admin));
            }
        }
        CountDownLatch running = new CountDownLatch(1);
        try (KafkaStreams streams = new KafkaStreams(topology, config)) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException(applicationId + " did not start");
            }
            long start = System.nanoTime();
            long end = awaitDone(applicationId, outputs, sum(startOffsets) + expectedOutputs);
            if (options.containsKey("topic-sizes")) {
                printWritten(applicationId, writableStart, records);
            }
            if (!outputs.isEmpty()) {
                long written = count(outputs, startOffsets);
                if (written != expectedOutputs) {
                    throw new IllegalStateException(
                            applicationId + " wrote " + written + " measurements, expected " + expectedOutputs + "; "
                                    + lateOrLost(applicationId, outputs, startOffsets, expectedOutputs));
                }
            }
            return records / seconds(end - start);
        }
    }

    /** Every topic but the benchmark's inputs and Kafka's own: what an application may write to. */
    private List<String> writable(Admin admin) throws Exception {
        List<String> inputNames = Stream.of(
                        inputs().stream().map(TopicDescriptor::name),
                        Stream.of(
                                topics.contactAliases().name(),
                                topics.conversationResolutions().name(),
                                topics.messageEchoes().name(),
                                topics.surveyEvents().name()))
                .flatMap(names -> names)
                .toList();
        return admin.listTopics().names().get().stream()
                .filter(name -> !name.startsWith("__") && !inputNames.contains(name))
                .sorted()
                .toList();
    }

    /**
     * Counts (read committed, so no commit markers and no aborted records) the records {@code applicationId} wrote to
     * every topic since {@code from} (topics created since: from their start), prints them per topic and per input
     * record, and keeps the totals for {@link #printWrittenSideBySide}.
     */
    private void printWritten(String applicationId, Map<TopicPartition, Long> from, long inputRecords)
            throws Exception {
        long total = 0;
        long repartitioned = 0;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            for (String topic : writable(admin)) {
                Map<TopicPartition, Long> now = ends(admin, List.of(topic));
                long grown = now.entrySet().stream()
                        .mapToLong(end -> end.getValue() - from.getOrDefault(end.getKey(), 0L))
                        .sum();
                if (grown == 0) {
                    continue;
                }
                long records = count(List.of(topic), from);
                System.out.printf(
                        "  %s wrote %s: %,d records (%.3f per input)%n",
                        applicationId, topic, records, (double) records / inputRecords);
                total += records;
                if (topic.endsWith("-repartition")) {
                    repartitioned += records;
                }
            }
        }
        written.put(applicationId, new double[] {(double) total / inputRecords, (double) repartitioned / inputRecords});
        System.out.printf(
                "  %s wrote %,d records, %.2f per input (%.2f per input through its repartition topics, read back)%n",
                applicationId, total, (double) total / inputRecords, (double) repartitioned / inputRecords);
    }

    /** With {@code --topic-sizes}: the records per input the pass-through and the topology wrote, in one line. */
    private void printWrittenSideBySide(String passThrough, String topology) {
        double[] baseline = written.get(passThrough);
        double[] service = written.get(topology);
        if (baseline != null && service != null) {
            System.out.printf(
                    "  records written per input: pass-through %.2f (%.2f repartitioned and read back), metrics"
                            + " topology %.2f (%.2f)%n",
                    baseline[0], baseline[1], service[0], service[1]);
        }
    }

    /**
     * Waits until the application has committed everything it reads and nothing more was written to {@code outputs}
     * for two seconds, or for 30 seconds while the sum of their end offsets stays below {@code expected} (a stream thread the
     * loaded machine left without a core that long, with measurements still to write); returns when the last output
     * was written (System.nanoTime), or now when there are no outputs.
     */
    private long awaitDone(String applicationId, List<String> outputs, long expected) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            long nextReport = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long written = -1;
            long lastWrite = System.nanoTime();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata()
                        .get();
                long now = sum(ends(admin, outputs));
                if (now != written) {
                    written = now;
                    lastWrite = System.nanoTime();
                }
                Map<TopicPartition, Long> ends = ends(admin, sourcesOf(admin, applicationId));
                Duration quietFor = written >= expected
                        ? Duration.ofSeconds(2)
                        : Duration.ofMillis(Long.parseLong(options.getOrDefault("short-quiet-ms", "30000")));
                boolean quiet = outputs.isEmpty() || System.nanoTime() - lastWrite > quietFor.toNanos();
                if (!committed.isEmpty() && caughtUp(committed, ends) && quiet) {
                    return outputs.isEmpty() ? System.nanoTime() : lastWrite;
                }
                if (System.nanoTime() > nextReport) {
                    nextReport = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    System.out.printf("  %s: behind: %s%n", applicationId, behind(committed, ends));
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            throw new IllegalStateException(applicationId + " did not finish within 30 minutes");
        }
    }

    /**
     * Tells a run that ended short of its expected measurements late from lost: keeps the application running and
     * counts the committed records per output topic every second for {@code --late-wait-seconds} (120), and says when
     * (after the end condition held) the count reached the expected one, or what was still missing per topic then.
     */
    private String lateOrLost(String applicationId, List<String> outputs, Map<TopicPartition, Long> from, long expected)
            throws Exception {
        long waitNanos = Duration.ofSeconds(Long.parseLong(options.getOrDefault("late-wait-seconds", "120")))
                .toNanos();
        long start = System.nanoTime();
        Map<String, Long> perTopic = new java.util.LinkedHashMap<>();
        while (true) {
            perTopic.clear();
            for (String topic : outputs) {
                perTopic.put(topic, count(List.of(topic), from));
            }
            long total = perTopic.values().stream().mapToLong(Long::longValue).sum();
            long elapsed = System.nanoTime() - start;
            System.out.printf(
                    "  %s: %.0f s after the end condition %,d of %,d: %s%n",
                    applicationId, seconds(elapsed), total, expected, perTopic);
            if (total >= expected) {
                return String.format(
                        "LATE, not lost: all %,d there %.0f s after the end condition (%s)",
                        total, seconds(elapsed), perTopic);
            }
            if (elapsed > waitNanos) {
                return String.format(
                        "LOST: still %,d of %,d %.0f s after the end condition (%s)",
                        total, expected, seconds(elapsed), perTopic);
            }
            TimeUnit.SECONDS.sleep(1);
        }
    }

    /** Counts the committed records on the topics after {@code from} (reading them). */
    private long count(List<String> topicNames, Map<TopicPartition, Long> from) {
        Map<String, Object> config = Map.of(
                "bootstrap.servers", bootstrapServers,
                "isolation.level", "read_committed",
                "enable.auto.commit", "false");
        long count = 0;
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                config,
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topicNames) {
                consumer.partitionsFor(topic)
                        .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            partitions.forEach(partition -> consumer.seek(partition, from.getOrDefault(partition, 0L)));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return count;
    }

    /** The application's source topics: the four inputs and its repartition topics. */
    private List<String> sourcesOf(Admin admin, String applicationId) throws Exception {
        List<String> sources = new ArrayList<>(List.of(
                topics.inboundMessages().name(),
                topics.windowEvents().name(),
                topics.dispatchResults().name(),
                topics.messageStatuses().name()));
        admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(applicationId + "-") && name.endsWith("-repartition"))
                .forEach(sources::add);
        return sources;
    }

    private static Map<TopicPartition, Long> ends(Admin admin, List<String> topicNames) throws Exception {
        return ThroughputRun.committedEnds(admin, topicNames);
    }

    /**
     * Every partition committed up to its end. A topic written in transactions (internal and measurement topics) ends
     * with a commit marker that takes an offset and is never a record: one short of the end is the end there.
     */
    private boolean caughtUp(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(end -> {
            OffsetAndMetadata offset = committed.get(end.getKey());
            long marker = isInput(end.getKey().topic()) ? 0 : 1;
            return end.getValue() == 0 || (offset != null && offset.offset() >= end.getValue() - marker);
        });
    }

    private boolean isInput(String topic) {
        return topic.equals(topics.inboundMessages().name())
                || topic.equals(topics.windowEvents().name())
                || topic.equals(topics.dispatchResults().name())
                || topic.equals(topics.messageStatuses().name());
    }

    private List<String> behind(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream()
                .filter(end -> !caughtUp(committed, Map.of(end.getKey(), end.getValue())))
                .map(end -> end.getKey() + " "
                        + (committed.get(end.getKey()) == null
                                ? "-"
                                : committed.get(end.getKey()).offset()) + "/" + end.getValue())
                .toList();
    }

    private static long sum(Map<TopicPartition, Long> ends) {
        return ends.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] parts = arg.replaceFirst("^--", "").split("=", 2);
            options.put(parts[0], parts.length > 1 ? parts[1] : "true");
        }
        return options;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void delete(Path root) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }
}
