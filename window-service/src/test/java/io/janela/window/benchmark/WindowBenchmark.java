package io.janela.window.benchmark;

import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.localkafka.LocalKafkaBroker;
import io.janela.serde.SpecificAvroSerde;
import io.janela.streams.DeadlineRebuild;
import io.janela.testsupport.benchmark.FanOutPassThrough;
import io.janela.testsupport.benchmark.FourCells;
import io.janela.testsupport.benchmark.Guarantee;
import io.janela.window.rules.WindowPolicy;
import io.janela.window.tracking.TrackingSettings;
import io.janela.window.tracking.WindowMetrics;
import io.janela.window.tracking.WindowTopology;
import io.janela.window.tracking.avro.StoredContact;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The window-service benchmark (docs/benchmarks.md, "window-service"). One JVM, one Kafka node, one run:
 *
 * <ol>
 *   <li>{@code contacts} customer messages from as many contacts are loaded into whatsapp.inbound-messages;
 *   <li>four cells (DESIGN.md §5): an Avro pass-through writing as many records per input as the window topology,
 *       and the window topology, each under exactly-once v2 and at-least-once, one stream thread, the service's
 *       Streams settings: records/s and, per guarantee, the window topology's rate ÷ the pass-through's;
 *   <li>heap after garbage collection before and after the window topology holds those contacts (state in RocksDB);
 *   <li>{@code burst} windows that all expire in the same second: time until every CLOSED is committed;
 *   <li>{@code spread} windows expiring over {@code spreadSeconds}: delay from expiry to a committed CLOSED.
 * </ol>
 *
 * Two workloads are timed: every record from a new contact (each opens a window: the most output per record), and
 * conversations ({@code perContact} messages per contact, the rest refreshing an open window). The pass-through
 * writes each input to as many topics as the window topology writes records per input (3 for a new contact, 2 for a
 * refresh): like with like.
 *
 * <p>Arguments (all optional): {@code contacts=1000000 perContact=4 rounds=2 burst=100000 spread=2000
 * spreadSeconds=20 partitions=4 guarantees=exactly_once_v2,at_least_once phases=throughput,heap,close,rebuild
 * extraBaselines=false} ({@code extraBaselines=true} adds the bytes and one-topic Avro pass-throughs of earlier
 * runs; {@code phases=throughput} runs the four cells only).
 */
public final class WindowBenchmark {

    static final String PHONE_NUMBER_ID = WindowInputs.PHONE_NUMBER_ID;
    static final String REGISTRY = "mock://window-benchmark";
    static final Duration PUNCTUATION = Duration.ofSeconds(1);
    static final Duration TIMEOUT = Duration.ofMinutes(20);
    static final String CONVERSATIONS = "bench.inbound-conversations";

    private final Map<String, String> args;
    private final Path work;
    private final LocalKafkaBroker broker;
    private final JanelaTopics topics;
    /** The same topics but for the input: the conversation workload has its own. */
    private final JanelaTopics conversations;

    private final int partitions;
    private final List<String> report = new ArrayList<>();

    private WindowBenchmark(Map<String, String> args, Path work) {
        this.args = args;
        this.work = work;
        this.partitions = intArg("partitions", 4);
        this.broker = LocalKafkaBroker.start(work.resolve("kafka"), 0, 0, Map.of());
        ValueSerdes serdes = ValueSerdes.janela(Map.of("schema.registry.url", REGISTRY));
        this.topics = JanelaTopics.create(TopicNames.defaults(), serdes);
        this.conversations = JanelaTopics.create(
                new TopicNames(
                        CONVERSATIONS,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null),
                serdes);
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> args = new java.util.HashMap<>();
        for (String argument : arguments) {
            for (String pair : argument.split("\\s+")) {
                if (pair.contains("=")) {
                    args.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
        }
        Path work = Files.createTempDirectory("window-benchmark");
        WindowBenchmark benchmark = new WindowBenchmark(args, work);
        try {
            benchmark.run();
        } finally {
            benchmark.broker.close();
            deleteRecursively(work);
        }
        benchmark.report.forEach(System.out::println);
        System.exit(0); // the in-process broker and Streams leave non-daemon threads behind
    }

    private void run() throws Exception {
        int contacts = intArg("contacts", 1_000_000);
        int perContact = intArg("perContact", 4);
        int rounds = intArg("rounds", 2);
        line("window-service benchmark, " + Instant.now() + ", "
                + Runtime.getRuntime().availableProcessors()
                + " cores, max heap " + mb(Runtime.getRuntime().maxMemory()) + ", load average at start "
                + loadAverage());
        createTopics();

        Instant sentAt = Instant.ofEpochSecond(Instant.now().minusSeconds(600).getEpochSecond());
        long loadStarted = System.nanoTime();
        produce(topics, contacts, i -> "US.load" + i, i -> sentAt);
        // A conversation: each contact writes perContact messages, 20 s apart; all but the first refresh the window.
        int speakers = contacts / perContact;
        produce(
                conversations,
                speakers * perContact,
                i -> "US.talk" + (i % speakers),
                i -> sentAt.plusSeconds(20L * (i / speakers)));
        line(String.format(
                "loaded %,d messages from %,d new contacts and %,d messages from %,d contacts writing %d each, in"
                        + " %.1f s",
                contacts,
                contacts,
                speakers * perContact,
                speakers,
                perContact,
                (System.nanoTime() - loadStarted) / 1e9));

        long heapBefore = heapAfterGc();
        List<String> phases = List.of(
                args.getOrDefault("phases", "throughput,heap,close,rebuild").split(","));
        if (phases.contains("throughput")) {
            List<Guarantee> guarantees =
                    Guarantee.parse(args.getOrDefault("guarantees", "exactly_once_v2,at_least_once"));
            Map<String, Object> settings = new java.util.HashMap<>(
                    Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100, StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1));
            settings.putAll(streamsProperties(Guarantee.EXACTLY_ONCE_V2));
            settings.remove(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
            line("settings of every application (the window-service's application.yml and Janela's Streams"
                    + " auto-configuration): " + FourCells.settings(settings));
            // The window topology writes three records for a message that opens a window (OPENED, the window state,
            // the contacts store's changelog; the deadline index has none) and two for one that refreshes it (the
            // window state, the changelog).
            throughput("new contacts", topics, contacts, rounds, 3, guarantees);
            throughput("conversations", conversations, speakers * perContact, rounds, 2, guarantees);
        }
        if (!phases.contains("heap") && !phases.contains("close") && !phases.contains("rebuild")) {
            line("load average at end " + loadAverage());
            return;
        }

        // A last run, not timed, to see what the heap does as the contacts come: garbage-collected heap at a tenth
        // of them and at all of them. State in RocksDB means the two are about the same.
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (StreamsRun window = windowApp(topics, meters, "heap")) {
            HeapSamples heap = window.drainSamplingHeap(
                    topics.inboundMessages().name(), contacts, TIMEOUT, WindowBenchmark::heapAfterGc);
            line(String.format(
                    "heap after GC while the window topology takes on %,d contacts: %s before any window topology"
                            + " ran, %s at %,d contacts, %s at %,d (%+.1f MB for the last %,d); its RocksDB on disk"
                            + " %s; process RSS %s",
                    contacts,
                    mb(heapBefore),
                    mb(heap.atTenth()),
                    heap.tenth(),
                    mb(heap.atAll()),
                    heap.all(),
                    (heap.atAll() - heap.atTenth()) / 1e6,
                    heap.all() - heap.tenth(),
                    mb(directorySize(work.resolve("state-window-heap"))),
                    rss()));
            closeBurst(intArg("burst", 100_000), meters);
            closeSpread(intArg("spread", 2_000), intArg("spreadSeconds", 20));
        }
        indexRebuild(topics);
        line("load average at end " + loadAverage());
    }

    /**
     * The same application started again on its local state: each task puts its contacts' deadlines back in the index
     * (which has no changelog) before it processes anything. Reports what that took, from the rebuild timer.
     */
    private void indexRebuild(JanelaTopics topics) throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (StreamsRun window = windowApp(topics, meters, "heap")) {
            long started = System.nanoTime();
            window.streams().start();
            Timer rebuild = meters.get(WindowMetrics.INDEX_REBUILD).timer();
            long deadline = started + TIMEOUT.toNanos();
            while (rebuild.count() < partitions && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            line(String.format(
                    "index rebuild on restart: %d tasks rebuilt their deadline index in %.2f s of stream-thread time"
                            + " (longest task %.2f s); %.1f s from start to the last rebuild",
                    rebuild.count(),
                    rebuild.totalTime(TimeUnit.SECONDS),
                    rebuild.max(TimeUnit.SECONDS),
                    (System.nanoTime() - started) / 1e9));
        }
    }

    /**
     * Rounds, each measuring under every guarantee the like-for-like pass-through and then the window topology on the
     * same input, so that the first is not alone in paying for a cold JIT and page cache; every window run starts
     * from empty state. With {@code extraBaselines=true}, the bytes and the Avro pass-throughs writing one record per
     * input run too. Reports each round and, per guarantee, the median ratio.
     */
    private void throughput(
            String workload, JanelaTopics input, long records, int rounds, int fanOut, List<Guarantee> guarantees)
            throws Exception {
        boolean extraBaselines = Boolean.parseBoolean(args.getOrDefault("extraBaselines", "false"));
        FourCells cells = new FourCells(workload, "window topology", "Avro pass-through to " + fanOut + " topics");
        for (int round = 1; round <= rounds; round++) {
            for (Guarantee guarantee : guarantees) {
                String name = workload.replace(' ', '-') + "-" + guarantee.config() + "-" + round;
                double fanOutRate = fanOut(input, fanOut, records, name, guarantee);
                double windowRate;
                long writtenBefore = recordsOnTheBroker();
                try (StreamsRun window = windowApp(input, new SimpleMeterRegistry(), name, guarantee)) {
                    Duration took = window.drain(input.inboundMessages().name(), records, TIMEOUT);
                    windowRate = records / (took.toNanos() / 1e9);
                }
                line(cells.add(guarantee, fanOutRate, windowRate)
                        + String.format(
                                " (the window topology wrote %.2f records per input%s)",
                                (recordsOnTheBroker() - writtenBefore) / (double) records,
                                guarantee == Guarantee.EXACTLY_ONCE_V2 ? ", transaction markers included" : ""));
                if (extraBaselines) {
                    double bytesRate = passThrough(input, "bytes", Serdes.ByteArray(), records, name, guarantee);
                    double avroRate =
                            passThrough(input, "avro", input.inboundMessages().valueSerde(), records, name, guarantee);
                    line(String.format(
                            "  and pass-through bytes %,.0f records/s (window %.0f %% of it), Avro to 1 topic %,.0f"
                                    + " records/s (%.0f %%)",
                            bytesRate, 100 * windowRate / bytesRate, avroRate, 100 * windowRate / avroRate));
                }
            }
        }
        cells.summary().forEach(this::line);
    }

    /** The sum of the end offsets of every topic but Kafka's own: what was written to the broker so far. */
    private long recordsOnTheBroker() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            long sum = 0;
            for (String topic : admin.listTopics().names().get()) {
                if (!topic.startsWith("__")) {
                    sum += StreamsRun.endOffsets(admin, topic).values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
                }
            }
            return sum;
        }
    }

    /** An Avro pass-through that writes each input record to {@code topics} topics: as many writes as the window's. */
    private double fanOut(JanelaTopics input, int topics, long records, String name, Guarantee guarantee)
            throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        FanOutPassThrough.add(
                builder,
                input.inboundMessages().name(),
                Serdes.String(),
                input.inboundMessages().valueSerde(),
                java.util.stream.IntStream.rangeClosed(1, topics)
                        .mapToObj(i -> "bench.fanout-" + i)
                        .toList(),
                "bench");
        try (StreamsRun run = new StreamsRun(
                builder.build(),
                "bench-fanout-" + name,
                broker.bootstrapServers(),
                work.resolve("state-fanout-" + name),
                streamsProperties(guarantee))) {
            Duration took = run.drain(input.inboundMessages().name(), records, TIMEOUT);
            return records / (took.toNanos() / 1e9);
        }
    }

    private StreamsRun windowApp(JanelaTopics input, SimpleMeterRegistry meters, String name) {
        return windowApp(input, meters, name, Guarantee.EXACTLY_ONCE_V2);
    }

    private StreamsRun windowApp(JanelaTopics input, SimpleMeterRegistry meters, String name, Guarantee guarantee) {
        TrackingSettings settings = new TrackingSettings(
                WindowPolicy.meta(), PUNCTUATION, 5_000, Duration.ofMinutes(5), DeadlineRebuild.Pace.DEFAULT);
        Map<String, Object> properties = new java.util.HashMap<>(streamsProperties(guarantee));
        properties.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                "io.janela.streams.DeadLetterProcessingExceptionHandler");
        properties.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                "io.janela.streams.DeadLetterDeserializationExceptionHandler");
        properties.put(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                input.windowDeadLetter().name());
        return new StreamsRun(
                WindowTopology.build(
                        input,
                        SpecificAvroSerde.forValues(StoredContact.class, Map.of("schema.registry.url", REGISTRY)),
                        settings,
                        new WindowMetrics(meters)),
                "bench-window-" + name,
                broker.bootstrapServers(),
                work.resolve("state-window-" + name),
                properties);
    }

    /**
     * What every app here shares with the window-service: its application.yml ({@code max.task.idle.ms} −1, a 10 MB
     * record cache; {@code commit.interval.ms} 100 is set by {@link StreamsRun}) and Janela's Streams
     * auto-configuration (transactional state stores), under {@code guarantee}.
     */
    private static Map<String, Object> streamsProperties(Guarantee guarantee) {
        return Map.of(
                StreamsConfig.MAX_TASK_IDLE_MS_CONFIG,
                -1L,
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG,
                10_485_760L,
                StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG,
                true,
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                guarantee.config());
    }

    private double passThrough(
            JanelaTopics input,
            String kind,
            org.apache.kafka.common.serialization.Serde<?> values,
            long records,
            String name,
            Guarantee guarantee)
            throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        passThrough(builder, input.inboundMessages().name(), values, "bench.passthrough-" + kind);
        try (StreamsRun run = new StreamsRun(
                builder.build(),
                "bench-passthrough-" + kind + "-" + name,
                broker.bootstrapServers(),
                work.resolve("state-" + kind + "-" + name),
                streamsProperties(guarantee))) {
            Duration took = run.drain(input.inboundMessages().name(), records, TIMEOUT);
            return records / (took.toNanos() / 1e9);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void passThrough(
            StreamsBuilder builder, String from, org.apache.kafka.common.serialization.Serde values, String to) {
        builder.stream(from, Consumed.with(Serdes.String(), values).withName("bench-source"))
                .to(to, Produced.with(Serdes.String(), values).withName("bench-sink"));
    }

    /** {@code count} windows expiring in the same second: how long until all their CLOSED events are committed. */
    private void closeBurst(int count, SimpleMeterRegistry meters) throws Exception {
        Timer punctuations = meters.find("janela.window.punctuation.duration").timer();
        long punctuationsBefore = punctuations.count();
        double punctuationSecondsBefore = punctuations.totalTime(TimeUnit.SECONDS);
        Instant dueAt = Instant.ofEpochSecond(Instant.now().plusSeconds(45).getEpochSecond());
        try (KafkaConsumer<String, WindowEvent> events = eventsFromNow()) {
            produce(topics, count, i -> "US.burst" + i, i -> dueAt.minus(Duration.ofHours(24)));
            Histogram delays = new Histogram(3_600_000L, 3);
            long lastSeen = awaitClosed(events, "US.burst", count, delays);
            line(String.format(
                    "burst: %,d windows due at %s; all CLOSED committed %.2f s after their expiry (first after %.2f s);"
                            + " %d punctuations took %.2f s of stream-thread time, the longest %.0f ms",
                    count,
                    dueAt,
                    (lastSeen - dueAt.toEpochMilli()) / 1000.0,
                    delays.getMinValue() / 1000.0,
                    punctuations.count() - punctuationsBefore,
                    punctuations.totalTime(TimeUnit.SECONDS) - punctuationSecondsBefore,
                    punctuations.max(TimeUnit.MILLISECONDS)));
        }
    }

    /** Windows expiring a few per second: how long after its expiry each CLOSED is committed. */
    private void closeSpread(int count, int seconds) throws Exception {
        Instant first = Instant.ofEpochSecond(Instant.now().plusSeconds(20).getEpochSecond());
        try (KafkaConsumer<String, WindowEvent> events = eventsFromNow()) {
            produce(
                    topics,
                    count,
                    i -> "US.spread" + i,
                    i -> first.plusMillis((long) i * seconds * 1000 / count).minus(Duration.ofHours(24)));
            Histogram delays = new Histogram(3_600_000L, 3);
            awaitClosed(events, "US.spread", count, delays);
            line(String.format(
                    "spread: %,d windows expiring over %d s; expiry to committed CLOSED p50 %d ms, p99 %d ms, max %d ms"
                            + " (bar: punctuation interval %d ms + 1 s = %d ms)",
                    count,
                    seconds,
                    delays.getValueAtPercentile(50),
                    delays.getValueAtPercentile(99),
                    delays.getMaxValue(),
                    PUNCTUATION.toMillis(),
                    PUNCTUATION.toMillis() + 1000));
        }
    }

    /** Reads CLOSED events of contacts with this prefix until {@code count}; returns when the last one was seen. */
    private long awaitClosed(KafkaConsumer<String, WindowEvent> events, String prefix, int count, Histogram delays) {
        int seen = 0;
        long lastSeen = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (seen < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen + " of " + count + " CLOSED events arrived");
            }
            for (ConsumerRecord<String, WindowEvent> record : events.poll(Duration.ofMillis(100))) {
                WindowEvent event = record.value();
                if (event.getType() == WindowEventType.CLOSED
                        && event.getContactId().startsWith(prefix)) {
                    long now = System.currentTimeMillis();
                    delays.recordValue(
                            Math.max(0, now - event.getWindowExpiresAt().toEpochMilli()));
                    lastSeen = now;
                    seen++;
                }
            }
        }
        return lastSeen;
    }

    private KafkaConsumer<String, WindowEvent> eventsFromNow() {
        TopicDescriptor<String, WindowEvent> topic = topics.windowEvents();
        KafkaConsumer<String, WindowEvent> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000"),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
        List<TopicPartition> assigned = consumer.partitionsFor(topic.name()).stream()
                .map(info -> new TopicPartition(topic.name(), info.partition()))
                .toList();
        consumer.assign(assigned);
        consumer.seekToEnd(assigned);
        assigned.forEach(consumer::position);
        return consumer;
    }

    private void produce(
            JanelaTopics into,
            int count,
            java.util.function.IntFunction<String> contact,
            java.util.function.IntFunction<Instant> at) {
        WindowInputs.produce(broker.bootstrapServers(), into.inboundMessages(), count, contact, at);
    }

    private void createTopics() throws Exception {
        List<String> extra =
                new ArrayList<>(List.of(CONVERSATIONS, "bench.passthrough-bytes", "bench.passthrough-avro"));
        for (int i = 1; i <= 4; i++) {
            extra.add("bench.fanout-" + i);
        }
        WindowInputs.createTopics(broker.bootstrapServers(), topics, partitions, extra);
    }

    private void line(String text) {
        report.add(text);
        System.out.println("[window-benchmark] " + text);
    }

    private int intArg(String name, int fallback) {
        return Optional.ofNullable(args.get(name)).map(Integer::parseInt).orElse(fallback);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String mb(long bytes) {
        return String.format("%.0f MB", bytes / 1e6);
    }

    private static String rss() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> line.substring(6).trim())
                    .findFirst()
                    .orElse("n/a");
        } catch (IOException e) {
            return "n/a";
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    static long directorySize(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(file -> file.toFile().delete());
        }
    }
}
