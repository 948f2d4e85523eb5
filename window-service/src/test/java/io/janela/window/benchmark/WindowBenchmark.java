package io.janela.window.benchmark;

import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.contract.ContactKey;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.localkafka.LocalKafkaBroker;
import io.janela.serde.SpecificAvroSerde;
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
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
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
 *   <li>two pass-through Kafka Streams apps read them (bytes to bytes; Avro to Avro), then the window topology does,
 *       all with exactly-once v2 and one stream thread: records/s and the ratio to each baseline;
 *   <li>heap after garbage collection before and after the window topology holds those contacts (state in RocksDB);
 *   <li>{@code burst} windows that all expire in the same second: time until every CLOSED is committed;
 *   <li>{@code spread} windows expiring over {@code spreadSeconds}: delay from expiry to a committed CLOSED.
 * </ol>
 *
 * Two workloads are timed: every record from a new contact (each opens a window: the most output per record), and
 * conversations ({@code perContact} messages per contact, the rest refreshing an open window). Besides the two
 * pass-throughs the bar names, an Avro pass-through writing each input to as many topics as the window topology
 * writes records per input (3 for a new contact, 2 for a refresh) compares like with like.
 *
 * <p>Arguments (all optional): {@code contacts=1000000 perContact=4 rounds=2 burst=100000 spread=2000
 * spreadSeconds=20 partitions=4}.
 */
public final class WindowBenchmark {

    static final String PHONE_NUMBER_ID = "106540352242922";
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
        // The window topology writes three records for a message that opens a window (OPENED, the window state, the
        // contacts store's changelog; the deadline index has none) and two for one that refreshes it (the window
        // state, the changelog).
        throughput("new contacts", topics, contacts, rounds, 3);
        throughput("conversations", conversations, speakers * perContact, rounds, 2);

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
     * Rounds, each measuring the two pass-throughs and the window topology one after the other on the same input,
     * so that the first is not alone in paying for a cold JIT and page cache; every window run starts from empty
     * state. Reports each round and the median ratios.
     */
    private void throughput(String workload, JanelaTopics input, long records, int rounds, int fanOut)
            throws Exception {
        List<Double> toBytes = new ArrayList<>();
        List<Double> toAvro = new ArrayList<>();
        List<Double> toFanOut = new ArrayList<>();
        String name = workload.replace(' ', '-');
        for (int round = 1; round <= rounds; round++) {
            double bytesRate = passThrough(input, "bytes", Serdes.ByteArray(), records, name + "-" + round);
            double avroRate =
                    passThrough(input, "avro", input.inboundMessages().valueSerde(), records, name + "-" + round);
            double fanOutRate = fanOut(input, fanOut, records, name + "-" + round);
            double windowRate;
            try (StreamsRun window = windowApp(input, new SimpleMeterRegistry(), name + "-" + round)) {
                Duration took = window.drain(input.inboundMessages().name(), records, TIMEOUT);
                windowRate = records / (took.toNanos() / 1e9);
            }
            toBytes.add(windowRate / bytesRate);
            toAvro.add(windowRate / avroRate);
            toFanOut.add(windowRate / fanOutRate);
            line(String.format(
                    "%s, round %d: pass-through bytes %,.0f records/s, Avro %,.0f records/s, Avro to %d topics %,.0f"
                            + " records/s; window topology %,.0f records/s = %.0f %% of bytes, %.0f %% of Avro, %.0f %%"
                            + " of Avro to %d",
                    workload,
                    round,
                    bytesRate,
                    avroRate,
                    fanOut,
                    fanOutRate,
                    windowRate,
                    100 * windowRate / bytesRate,
                    100 * windowRate / avroRate,
                    100 * windowRate / fanOutRate,
                    fanOut));
        }
        line(String.format(
                "%s: window topology at %.0f %% of the bytes pass-through, %.0f %% of the Avro pass-through (bar >= 50"
                        + " %%), %.0f %% of an Avro pass-through writing %d records per input as it does (medians of"
                        + " %d rounds)",
                workload, 100 * median(toBytes), 100 * median(toAvro), 100 * median(toFanOut), fanOut, rounds));
    }

    /** An Avro pass-through that writes each input record to {@code topics} topics: as many writes as the window's. */
    private double fanOut(JanelaTopics input, int topics, long records, String name) throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        var values = input.inboundMessages().valueSerde();
        var stream = builder.stream(
                input.inboundMessages().name(),
                Consumed.with(Serdes.String(), values).withName("bench-source"));
        for (int i = 1; i <= topics; i++) {
            stream.to(
                    "bench.fanout-" + i, Produced.with(Serdes.String(), values).withName("bench-sink-" + i));
        }
        try (StreamsRun run = new StreamsRun(
                builder.build(),
                "bench-fanout-" + name,
                broker.bootstrapServers(),
                work.resolve("state-fanout-" + name),
                streamsProperties())) {
            Duration took = run.drain(input.inboundMessages().name(), records, TIMEOUT);
            return records / (took.toNanos() / 1e9);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private StreamsRun windowApp(JanelaTopics input, SimpleMeterRegistry meters, String name) {
        TrackingSettings settings =
                new TrackingSettings(WindowPolicy.meta(), PUNCTUATION, 5_000, Duration.ofMinutes(5));
        Map<String, Object> properties = new java.util.HashMap<>(streamsProperties());
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

    /** What every app here shares with the window-service's application.yml. */
    private static Map<String, Object> streamsProperties() {
        return Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
    }

    private double passThrough(
            JanelaTopics input,
            String kind,
            org.apache.kafka.common.serialization.Serde<?> values,
            long records,
            String name)
            throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        passThrough(builder, input.inboundMessages().name(), values, "bench.passthrough-" + kind);
        try (StreamsRun run = new StreamsRun(
                builder.build(),
                "bench-passthrough-" + kind + "-" + name,
                broker.bootstrapServers(),
                work.resolve("state-" + kind + "-" + name),
                streamsProperties())) {
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
        TopicDescriptor<String, InboundMessage> topic = into.inboundMessages();
        String rawJson = "{\"from\":\"16505551234\",\"from_user_id\":\"US.13491208655302741918\",\"id\":\"wamid.%d\","
                + "\"timestamp\":\"%d\",\"type\":\"text\",\"text\":{\"body\":\"Does it come in another color?\"}}";
        try (KafkaProducer<String, InboundMessage> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        // A partition that has just got its leader may still answer NOT_LEADER_OR_FOLLOWER; the
                        // idempotent producer can lose batches on that path (OUT_OF_ORDER_SEQUENCE_NUMBER). One request
                        // in flight keeps the order without it.
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        "false",
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                        "1",
                        ProducerConfig.LINGER_MS_CONFIG,
                        "20",
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        Integer.toString(256 * 1024)),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
            for (int i = 0; i < count; i++) {
                String contactId = contact.apply(i);
                Instant sentAt = Instant.ofEpochSecond(at.apply(i).getEpochSecond());
                InboundMessage message = InboundMessage.newBuilder()
                        .setMessageId("wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQ" + contactId + "." + i)
                        .setPhoneNumberId(PHONE_NUMBER_ID)
                        .setDisplayPhoneNumber("15550783881")
                        .setContactId(contactId)
                        .setUserId(contactId)
                        .setTimestamp(sentAt)
                        .setType(InboundMessageType.TEXT)
                        .setText("Does it come in another color?")
                        .setRawJson(String.format(rawJson, i, sentAt.getEpochSecond()))
                        .build();
                producer.send(
                        new ProducerRecord<>(
                                topic.name(),
                                null,
                                sentAt.toEpochMilli(),
                                new ContactKey(PHONE_NUMBER_ID, contactId).format(),
                                message),
                        (metadata, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                        });
            }
            producer.flush();
            if (failed.get() > 0) {
                throw new IllegalStateException(failed.get() + " of " + count + " inbound messages were not written");
            }
        }
    }

    private void createTopics() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            List<NewTopic> created = new ArrayList<>();
            for (TopicDescriptor<?, ?> topic : topics.all()) {
                NewTopic newTopic = new NewTopic(topic.name(), partitions, (short) 1);
                if (topic.compacted()) {
                    newTopic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                created.add(newTopic);
            }
            created.add(new NewTopic(CONVERSATIONS, partitions, (short) 1));
            for (int i = 1; i <= 4; i++) {
                created.add(new NewTopic("bench.fanout-" + i, partitions, (short) 1));
            }
            created.add(new NewTopic("bench.passthrough-bytes", partitions, (short) 1));
            created.add(new NewTopic("bench.passthrough-avro", partitions, (short) 1));
            admin.createTopics(created).all().get();
            // Producing before every partition has its leader makes the idempotent producer lose batches
            // (out-of-order sequence after NOT_LEADER_OR_FOLLOWER); wait for the leaders first.
            List<String> names = created.stream().map(NewTopic::name).toList();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!admin.describeTopics(names).allTopicNames().get().values().stream()
                    .flatMap(description -> description.partitions().stream())
                    .allMatch(partition ->
                            partition.leader() != null && !partition.leader().isEmpty())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the benchmark topics have no leaders after 60 s");
                }
                Thread.sleep(100);
            }
        }
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

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static long directorySize(Path directory) throws IOException {
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
