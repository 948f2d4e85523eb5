package io.janela.survey.benchmark;

import io.janela.avro.ConversationResolution;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.MessageStatus;
import io.janela.avro.Origin;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.localkafka.LocalKafkaBroker;
import io.janela.serde.SpecificAvroSerde;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.streams.DeadlineRebuild;
import io.janela.survey.asking.SurveyMetrics;
import io.janela.survey.asking.SurveySettings;
import io.janela.survey.asking.SurveyTopology;
import io.janela.survey.asking.avro.StoredSurveys;
import io.janela.survey.rules.SurveyPolicy;
import io.janela.testfixtures.MetaRecords;
import io.janela.testfixtures.MetaRecords.Contact;
import io.janela.testsupport.benchmark.FanOutPassThrough;
import io.janela.testsupport.benchmark.FourCells;
import io.janela.testsupport.benchmark.Guarantee;
import io.janela.testsupport.benchmark.ThroughputRun;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The survey-service's four-cell throughput benchmark (DESIGN.md §5, docs/benchmarks.md "survey-service"): input
 * records per second through an Avro pass-through (each input read with the service's serdes into its generated class
 * and written back to one copy of its topic) and through the survey topology, each under exactly-once v2 and
 * at-least-once, on the same broker and the same input, in the same run, round after round. Every application runs
 * with one stream thread and the survey-service's Streams settings (printed at the start) against one in-JVM Kafka
 * node; the clock runs from RUNNING until the application has committed everything it reads (for the survey topology
 * also its repartition topics) and, for the survey topology, written exactly one survey request per conversation
 * ({@link ThroughputRun}).
 *
 * <p>The input is made of resolved conversations of {@value #RECORDS_PER_CONVERSATION} records, in the mix the
 * service reads: a customer message and the window's OPENED event, a bot reply (dispatch result and sent, delivered,
 * read statuses), a second customer message and an agent reply (the same four records), and the company's
 * resolution five minutes later. The survey topology keeps the customer messages, the OPENED event and the resolution
 * (the others are not a survey's and are filtered), and its punctuation (the service's 1 s) asks for each
 * conversation's survey: one request to dispatch. The survey's own result, delivery and answer are not in the mix:
 * they name the request the run itself makes.
 *
 * <p>The pass-through writes one record per input; the survey topology writes fewer (its state changes, the
 * resolutions' repartition, the requests: {@code --topic-sizes} prints them), so the pass-through is the lightest
 * like-for-like baseline a whole record per input allows, and the ratio errs against the service.
 *
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
 *   -Dmdep.includeScope=test -pl survey-service -am
 * cd survey-service &amp;&amp; nice -n 10 java -cp target/test-classes:target/classes:$(cat target/bench.cp) \
 *   io.janela.survey.benchmark.SurveyThroughputBenchmark --conversations=50000 --partitions=3 --rounds=3
 * </pre>
 *
 * <p>{@code --guarantees=exactly_once_v2,at_least_once} (the default) picks the guarantees; {@code --kept-baseline} adds
 * a second baseline that writes only what the survey topology keeps (fewer records per input than it writes: the two
 * baselines bracket it); {@code --topic-sizes} prints what the survey topology wrote; {@code --no-warmup} skips
 * the warm-up runs; {@code --streams.NAME=VALUE} sets any Streams property of every application.
 */
public final class SurveyThroughputBenchmark {

    private static final String SCOPE = "survey-benchmark";
    private static final int RECORDS_PER_CONVERSATION = 12;
    private static final String COPY_PREFIX = "benchmark.avro-pass-through.";
    private static final String KEPT_PREFIX = "benchmark.avro-kept.";
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    private static final String TEXT_JSON = "{\"from\":\"%s\",\"from_user_id\":\"%s\",\"id\":\"%s\","
            + "\"timestamp\":\"%d\",\"type\":\"text\",\"text\":{\"body\":\"Hello, where is my order?\"}}";
    private static final String STATUS_JSON = "{\"id\":\"%s\",\"status\":\"%s\",\"recipient_id\":\"%s\","
            + "\"pricing\":{\"billable\":false,\"pricing_model\":\"PMP\",\"type\":\"free_customer_service\","
            + "\"category\":\"service\"}}";

    private final String bootstrapServers;
    private final ValueSerdes serdes;
    private final JanelaTopics topics;
    private final Path stateRoot;
    private final int partitions;
    private final Map<String, String> streamsOptions = new HashMap<>();

    private SurveyThroughputBenchmark(String bootstrapServers, Path stateRoot, int partitions) {
        this.bootstrapServers = bootstrapServers;
        this.stateRoot = stateRoot;
        this.partitions = partitions;
        this.serdes = ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE));
        this.topics = JanelaTopics.create(TopicNames.defaults(), serdes);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            String[] parts = arg.replaceFirst("^--", "").split("=", 2);
            options.put(parts[0], parts.length > 1 ? parts[1] : "true");
        }
        int conversations = Integer.parseInt(options.getOrDefault("conversations", "50000"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "3"));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        List<Guarantee> guarantees =
                Guarantee.parse(options.getOrDefault("guarantees", "exactly_once_v2,at_least_once"));
        Path data = Files.createTempDirectory("survey-benchmark-");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(data.resolve("kafka"), 0, 0, Map.of())) {
            SurveyThroughputBenchmark benchmark =
                    new SurveyThroughputBenchmark(broker.bootstrapServers(), data.resolve("state"), partitions);
            options.forEach((key, value) -> {
                if (key.startsWith("streams.")) {
                    benchmark.streamsOptions.put(key.substring("streams.".length()), value);
                }
            });
            benchmark.createTopics();
            long produceStart = System.nanoTime();
            long records = benchmark.produce(conversations);
            benchmark.checkInput(records);
            System.out.printf(
                    "input: %,d records (%,d resolved conversations) on %d partitions, produced in %.1f s%n",
                    records, conversations, partitions, (System.nanoTime() - produceStart) / 1e9);
            System.out.println("load average at start " + loadAverage());
            System.out.println("settings of every application (the survey-service's application.yml and Janela's"
                    + " Streams auto-configuration): " + FourCells.settings(benchmark.settings(null)));
            ThroughputRun passThroughRun = benchmark.run(List.of(), 0);
            // One request per conversation, and no survey event (a SKIPPED or CANCELLED one would mean a wrong input).
            ThroughputRun surveyRun = benchmark.run(
                    List.of(
                            benchmark.topics.outboundRequests().name(),
                            benchmark.topics.surveyEvents().name()),
                    conversations);
            if (!options.containsKey("no-warmup")) {
                // The first run of each warms the JIT of the clients and of the broker, which share this JVM.
                Guarantee warm = guarantees.get(0);
                passThroughRun.recordsPerSecond(
                        benchmark.passThrough(), benchmark.config("avro-copy-warmup", warm), records);
                surveyRun.recordsPerSecond(
                        benchmark.surveyTopology(), benchmark.config("survey-warmup", warm), records);
                System.out.println("warm-up done, load average " + loadAverage());
            }
            FourCells cells =
                    new FourCells("resolved conversations", "survey topology", "Avro pass-through to 1 topic");
            boolean kept = options.containsKey("kept-baseline");
            FourCells keptCells = new FourCells(
                    "resolved conversations", "survey topology", "Avro pass-through of what the survey keeps");
            for (int round = 1; round <= rounds; round++) {
                for (Guarantee guarantee : guarantees) {
                    String suffix = "-" + guarantee.config().replace('_', '-') + "-" + round;
                    double copied = passThroughRun.recordsPerSecond(
                            benchmark.passThrough(), benchmark.config("avro-copy" + suffix, guarantee), records);
                    double surveyed = surveyRun.recordsPerSecond(
                            benchmark.surveyTopology(), benchmark.config("survey" + suffix, guarantee), records);
                    System.out.println(cells.add(guarantee, copied, surveyed) + " (load " + loadAverage() + ")");
                    if (kept) {
                        double keptRate = passThroughRun.recordsPerSecond(
                                benchmark.keptPassThrough(),
                                benchmark.config("avro-kept" + suffix, guarantee),
                                records);
                        System.out.println(
                                keptCells.add(guarantee, keptRate, surveyed) + " (load " + loadAverage() + ")");
                    }
                    if (options.containsKey("topic-sizes")) {
                        ThroughputRun.printWritten(broker.bootstrapServers(), "survey" + suffix, records);
                    }
                }
            }
            cells.summary().forEach(System.out::println);
            if (kept) {
                keptCells.summary().forEach(System.out::println);
            }
            System.out.println("load average at end " + loadAverage());
        } finally {
            MockSchemaRegistry.dropScope(SCOPE);
            delete(data);
        }
    }

    private List<TopicDescriptor<String, ?>> inputs() {
        return List.of(
                topics.inboundMessages(),
                topics.windowEvents(),
                topics.dispatchResults(),
                topics.messageStatuses(),
                topics.conversationResolutions());
    }

    private ThroughputRun run(List<String> outputs, long expectedOutputs) {
        return new ThroughputRun(
                bootstrapServers,
                inputs().stream().map(TopicDescriptor::name).toList(),
                outputs,
                expectedOutputs,
                TIMEOUT);
    }

    private void createTopics() throws Exception {
        List<NewTopic> all = new ArrayList<>();
        for (TopicDescriptor<?, ?> topic : List.of(
                topics.contactAliases(), topics.outboundRequests(), topics.surveyEvents(), topics.surveyDeadLetter())) {
            all.add(new NewTopic(topic.name(), partitions, (short) 1).configs(topic.requiredConfigs()));
        }
        for (TopicDescriptor<String, ?> input : inputs()) {
            all.add(new NewTopic(input.name(), partitions, (short) 1).configs(input.requiredConfigs()));
            for (String copy : FanOutPassThrough.outputs(COPY_PREFIX, input.name(), 1)) {
                all.add(new NewTopic(copy, partitions, (short) 1));
            }
            all.add(new NewTopic(KEPT_PREFIX + input.name(), partitions, (short) 1));
        }
        ThroughputRun.createTopics(bootstrapServers, all);
    }

    /**
     * Fails when the inputs hold fewer than {@code records}, what every run is timed over; says so when a retried batch
     * left a record twice (a repeated message or resolution changes no survey).
     */
    private void checkInput(long records) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            long held =
                    ThroughputRun.committedEnds(
                                    admin,
                                    inputs().stream().map(TopicDescriptor::name).toList())
                            .values()
                            .stream()
                            .mapToLong(Long::longValue)
                            .sum();
            if (held < records) {
                throw new IllegalStateException("the inputs hold " + held + " records, " + records + " were sent");
            }
            if (held > records) {
                System.out.printf("the inputs hold %,d records: %,d written twice by retries%n", held, held - records);
            }
        }
    }

    /**
     * Writes the conversations, contact {@code i} starting {@code i} × 10 ms after a base two hours ago, so that every
     * resolution (5 minutes after its conversation began) is due at once under the service's 5-minute delay; returns
     * how many input records that made.
     */
    private long produce(int conversations) {
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        try (KafkaProducer<String, byte[]> producer = Input.bulkProducer(bootstrapServers)) {
            Input input = new Input(producer);
            for (int i = 0; i < conversations; i++) {
                Contact contact = new Contact("US.%020d".formatted(i), "1555%07d".formatted(i));
                Instant opened = base.plusMillis(10L * i);
                input.send(
                        topics.inboundMessages(),
                        contact.key(),
                        customerMessage(contact, "wamid.c1-" + i, opened),
                        opened);
                input.send(
                        topics.windowEvents(),
                        contact.key(),
                        MetaRecords.opened(contact, opened, "wamid.c1-" + i, i % 3 == 0),
                        opened);
                reply(input, contact, "b1-" + i, Origin.BOT, opened.plusSeconds(2));
                Instant second = opened.plusSeconds(120);
                input.send(
                        topics.inboundMessages(),
                        contact.key(),
                        customerMessage(contact, "wamid.c2-" + i, second),
                        second);
                reply(input, contact, "b2-" + i, Origin.AGENT, second.plusSeconds(95));
                Instant resolved = opened.plus(Duration.ofMinutes(5));
                input.send(topics.conversationResolutions(), "ticket-" + i, resolution(contact, i, resolved), resolved);
            }
            producer.flush();
            input.check();
        }
        return (long) conversations * RECORDS_PER_CONVERSATION;
    }

    private void reply(Input input, Contact contact, String id, Origin origin, Instant at) {
        String wamid = "wamid." + id;
        input.send(
                topics.dispatchResults(),
                contact.key(),
                MetaRecords.sent(contact, "request-" + id, wamid, origin, at).build(),
                at);
        for (DeliveryStatus status : List.of(DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ)) {
            Instant statusAt = at.plusSeconds(status.ordinal());
            MessageStatus record = MessageStatus.newBuilder()
                    .setMessageId(wamid)
                    .setPhoneNumberId(MetaRecords.PHONE_NUMBER_ID)
                    .setContactId(contact.userId())
                    .setRecipientId(contact.waId())
                    .setRecipientUserId(contact.userId())
                    .setStatus(status)
                    .setTimestamp(statusAt)
                    .setBizOpaqueCallbackData("request-" + id)
                    .setRawJson(STATUS_JSON.formatted(wamid, status.name().toLowerCase(Locale.ROOT), contact.waId()))
                    .build();
            input.send(topics.messageStatuses(), MetaRecords.keyOf(record), record, statusAt);
        }
    }

    /**
     * A customer's text as ingress publishes it. Built here rather than from MetaRecords' webhook fixtures, which live
     * in the window and metrics services' test resources; the raw item is about the size of Meta's.
     */
    static InboundMessage customerMessage(Contact contact, String wamid, Instant at) {
        return InboundMessage.newBuilder()
                .setMessageId(wamid)
                .setPhoneNumberId(MetaRecords.PHONE_NUMBER_ID)
                .setContactId(contact.userId())
                .setUserId(contact.userId())
                .setWaId(contact.waId())
                .setProfileName("Customer")
                .setTimestamp(at)
                .setType(InboundMessageType.TEXT)
                .setText("Hello, where is my order?")
                .setRawJson(TEXT_JSON.formatted(contact.waId(), contact.userId(), wamid, at.getEpochSecond()))
                .build();
    }

    static ConversationResolution resolution(Contact contact, int i, Instant resolvedAt) {
        return ConversationResolution.newBuilder()
                .setResolutionId("resolution-" + i)
                .setPhoneNumberId(MetaRecords.PHONE_NUMBER_ID)
                .setRecipientUserId(contact.userId())
                .setResolvedAt(resolvedAt)
                .setTeam("support")
                .setAgentId("agent-" + (i % 20))
                .setReference("order " + i)
                .setLanguage("en")
                .build();
    }

    /** Sends records serialized with their topic's serde, record time = event time; keeps the first failure. */
    record Input(KafkaProducer<String, byte[]> producer, AtomicReference<Exception> failed) {

        Input(KafkaProducer<String, byte[]> producer) {
            this(producer, new AtomicReference<>());
        }

        /**
         * A producer for a bulk load. As metrics' InputProducer: one batch in flight, so that retries keep the order,
         * and no idempotence, whose sequence checks a loaded single-node broker rejects after a retry (records were
         * lost so); a record written twice is harmless here (checkInput says so).
         */
        static KafkaProducer<String, byte[]> bulkProducer(String bootstrapServers) {
            Map<String, Object> config = Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrapServers,
                    ProducerConfig.LINGER_MS_CONFIG,
                    20,
                    ProducerConfig.BATCH_SIZE_CONFIG,
                    256 * 1024,
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                    1,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                    false);
            return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }

        /** Fails when a send failed. */
        void check() {
            if (failed.get() != null) {
                throw new IllegalStateException("an input record could not be written", failed.get());
            }
        }

        <V> void send(TopicDescriptor<String, V> topic, String key, V value, Instant at) {
            byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
            producer.send(new ProducerRecord<>(topic.name(), null, at.toEpochMilli(), key, bytes), (metadata, e) -> {
                if (e != null) {
                    failed.compareAndSet(null, e);
                }
            });
        }
    }

    /** Each input read as the survey topology reads it and written again, as Avro, to one copy of its topic. */
    private Topology passThrough() {
        StreamsBuilder builder = new StreamsBuilder();
        for (TopicDescriptor<String, ?> input : inputs()) {
            copy(builder, input);
        }
        return builder.build();
    }

    /**
     * The lighter bracket ({@code --kept-baseline}): each input read with the service's serdes, and only what the
     * survey topology keeps of it (every customer message and resolution, OPENED and CLOSING_SOON events, a survey's
     * results and delivered or read statuses) written to one copy: fewer records per input than the survey topology
     * writes, where the plain pass-through writes more.
     */
    private Topology keptPassThrough() {
        StreamsBuilder builder = new StreamsBuilder();
        for (TopicDescriptor<String, ?> input : inputs()) {
            copyKept(builder, input);
        }
        return builder.build();
    }

    private static <V> void copyKept(StreamsBuilder builder, TopicDescriptor<String, V> input) {
        String name = "avro-kept-" + input.name();
        builder.stream(
                        input.name(),
                        Consumed.with(input.keySerde(), input.valueSerde()).withName(name + "-source"))
                .filter((key, value) -> keptBySurvey(value), Named.as(name + "-filter"))
                .to(
                        KEPT_PREFIX + input.name(),
                        Produced.with(input.keySerde(), input.valueSerde()).withName(name + "-sink"));
    }

    /** What the survey topology's filters let through (SurveyTopology, Facts). */
    private static boolean keptBySurvey(Object value) {
        return switch (value) {
            case null -> false;
            case WindowEvent event ->
                event.getType() == WindowEventType.OPENED || event.getType() == WindowEventType.CLOSING_SOON;
            case DispatchResult result ->
                result.getSurveyId() != null
                        || (result.getRequestId() != null
                                && result.getRequestId().startsWith("survey:"));
            case MessageStatus status ->
                (status.getStatus() == DeliveryStatus.DELIVERED || status.getStatus() == DeliveryStatus.READ)
                        && status.getBizOpaqueCallbackData() != null
                        && status.getBizOpaqueCallbackData().startsWith("survey:");
            default -> true;
        };
    }

    private static <V> void copy(StreamsBuilder builder, TopicDescriptor<String, V> input) {
        FanOutPassThrough.add(
                builder,
                input.name(),
                input.keySerde(),
                input.valueSerde(),
                FanOutPassThrough.outputs(COPY_PREFIX, input.name(), 1),
                "avro-pass-through-" + input.name());
    }

    /**
     * The survey-service's topology with its defaults ({@code janela.survey.*}: delay 5 min, answers 24 h, throttle 7
     * days, requests valid 1 h, punctuation every second for at most 5,000 surveys, English texts, no template), its
     * repartition topics as many partitions as the inputs.
     */
    private Topology surveyTopology() {
        SurveySettings settings = new SurveySettings(
                SurveyPolicy.defaults(),
                Duration.ofSeconds(1),
                5000,
                Duration.ofHours(1),
                "en",
                Map.of(),
                Map.of(),
                Set.of(),
                partitions,
                DeadlineRebuild.Pace.DEFAULT);
        return SurveyTopology.build(
                topics,
                SpecificAvroSerde.forValues(StoredSurveys.class, Map.of("schema.registry.url", "mock://" + SCOPE)),
                settings,
                new SurveyMetrics(new SimpleMeterRegistry()));
    }

    /**
     * What every application runs with besides its name and state directory: the survey-service's settings
     * ({@code commit.interval.ms} 100 and {@code max.task.idle.ms} −1 from its application.yml, transactional state
     * stores from Janela's Streams auto-configuration, Kafka's default record cache), one stream thread, then any
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
        config.putAll(streamsOptions);
        return config;
    }

    private Properties config(String applicationId, Guarantee guarantee) {
        Properties config = new Properties();
        config.putAll(settings(guarantee));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(
                StreamsConfig.STATE_DIR_CONFIG, stateRoot.resolve(applicationId).toString());
        config.put(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                topics.surveyDeadLetter().name());
        return config;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static void delete(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }
}
