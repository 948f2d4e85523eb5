package io.janela.window.benchmark;

import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.localkafka.LocalKafkaBroker;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.SchemaRegistryException;
import io.janela.testsupport.registry.RegistryOverHttp;
import io.janela.window.WindowApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The window-service's restart benchmark (issue 14, docs/benchmarks.md "window-service restart"). One Kafka node and
 * the schema registry (served over HTTP) in this JVM; the window-service itself, unchanged ({@link
 * WindowApplication}, this module's test class path), in a child JVM with the heap the deployment gives it (60 % of
 * the container's 2 GiB limit: {@code -XX:MaxRAM=2g -XX:MaxRAMPercentage=60}). The child first takes on
 * {@code contacts} new contacts (each opens a window); then, on the same state directory, it is stopped and started
 * again, cleanly (SIGTERM: Spring's graceful shutdown closes Kafka Streams) and with SIGKILL (nothing closed, nothing
 * flushed), first with dynamic group membership, then with static membership ({@code janela.streams.instance-id}). For
 * each restart: from the new JVM's start to readiness (UP only once Kafka Streams is RUNNING), and to the first
 * answered window query (GET /windows/{phoneNumberId}/{contactId}, 200 with the window); changelog records restored
 * (the log's "Finished restoring changelog" lines) and the deadline index's rebuild (its timer, from
 * /actuator/prometheus).
 *
 * <pre>
 * ./mvnw -q -pl window-service -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.janela.window.benchmark.RestartBenchmark -Dexec.args="contacts=1000000 rounds=1"
 * </pre>
 *
 * <p>Arguments (all optional): {@code contacts=1000000 partitions=6 rounds=1 modes=dynamic,static stops=clean,kill
 * heap="-XX:MaxRAM=2g -XX:MaxRAMPercentage=60"}. Each restart's row also splits start → RUNNING into the JVM and
 * Spring start (the log's "process running for") and what follows it: joining the group (after a SIGKILL with
 * dynamic membership, waiting out the dead member's session) and starting the tasks.
 */
public final class RestartBenchmark {

    private static final String SCOPE = "window-restart-benchmark";
    private static final Duration LIMIT = Duration.ofMinutes(5);
    /** Taking on a million contacts takes 2.5 min at load 30 on 2 cores; more when the machine is busier. */
    private static final Duration TAKE_ON_LIMIT = Duration.ofMinutes(20);

    /** Spring Boot's start line: the JVM's age when the context was up, before Kafka Streams joins its group. */
    private static final Pattern SPRING_STARTED =
            Pattern.compile("Started WindowApplication in \\S+ seconds \\(process running for (\\S+)\\)");

    private static final Pattern RESTORED = Pattern.compile(
            "Finished restoring changelog (\\S+) to store (\\S+) with a total number of (\\d+) records");
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Map<String, String> args;
    private final Path work;
    private final String bootstrapServers;
    private final String registryUrl;
    private final Path stateDir;
    private final Path log;
    /** The window-service running now: killed if the benchmark fails, so that no child outlives it. */
    private Child child;

    private RestartBenchmark(Map<String, String> args, Path work, String bootstrapServers, String registryUrl) {
        this.args = args;
        this.work = work;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.stateDir = work.resolve("state");
        this.log = work.resolve("window-service.log");
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String argument : arguments) {
            for (String pair : argument.split("\\s+(?=\\w+=)")) {
                if (pair.contains("=")) {
                    args.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
        }
        Path work = Files.createTempDirectory("window-restart-benchmark");
        MockSchemaRegistry registry = MockSchemaRegistry.forScope(SCOPE);
        int exit = 0;
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(work.resolve("kafka"), 0, 0, Map.of());
                RegistryOverHttp http = new RegistryOverHttp(
                        id -> registry.schemaById(id).toString(),
                        (subject, schema) -> registry.register(subject, new Schema.Parser().parse(schema)),
                        (subject, schema) -> registry.idOf(subject, new Schema.Parser().parse(schema)),
                        e -> e instanceof SchemaRegistryException failure
                                ? new RegistryOverHttp.Failure(failure.httpStatus(), failure.errorCode())
                                : null)) {
            RestartBenchmark benchmark = new RestartBenchmark(args, work, broker.bootstrapServers(), http.url());
            try {
                benchmark.run();
            } finally {
                if (benchmark.child != null) {
                    benchmark.child.kill();
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        }
        System.out.println("child JVM log kept in " + work.resolve("window-service.log"));
        System.exit(exit); // the in-process broker leaves non-daemon threads behind
    }

    private void run() throws Exception {
        int contacts = intArg("contacts", 1_000_000);
        int partitions = intArg("partitions", 6);
        int rounds = intArg("rounds", 1);
        List<String> modes =
                List.of(args.getOrDefault("modes", "dynamic,static").split(","));
        List<String> stops = List.of(args.getOrDefault("stops", "clean,kill").split(","));
        String heap = args.getOrDefault("heap", "-XX:MaxRAM=2g -XX:MaxRAMPercentage=60");
        print("window-service restart benchmark, " + Instant.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, load average at start "
                + WindowBenchmark.loadAverage()
                + "; child JVM " + heap);
        JanelaTopics topics = JanelaTopics.create(
                TopicNames.defaults(), ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE)));
        WindowInputs.createTopics(bootstrapServers, topics, partitions, List.of());
        Instant sentAt = Instant.ofEpochSecond(Instant.now().minusSeconds(600).getEpochSecond());
        long loadStarted = System.nanoTime();
        WindowInputs.produce(bootstrapServers, topics.inboundMessages(), contacts, i -> "US.load" + i, i -> sentAt);
        print(String.format("loaded %,d messages from as many new contacts in %.1f s", contacts, seconds(loadStarted)));

        String query = "/windows/" + WindowInputs.PHONE_NUMBER_ID + "/US.load" + (contacts - 1);
        child = Child.start(settings(false, partitions), heap, log);
        long takeOnStarted = System.nanoTime();
        child.awaitReady();
        awaitCommitted(topics.inboundMessages().name(), "janela-window");
        child.awaitAnswer(query, TAKE_ON_LIMIT);
        print(String.format(
                "the window-service took on the %,d contacts in %.1f s (from its start); state directory %,d MB",
                contacts, seconds(takeOnStarted), WindowBenchmark.directorySize(stateDir) / 1_000_000));

        List<String> table = new ArrayList<>();
        table.add(
                "| membership | stop | start → RUNNING (ready) | of which JVM + Spring | RUNNING after Spring | start →"
                        + " first answered query | changelog records restored | start → index rebuilt (all tasks) | index"
                        + " rebuild (tasks, longest) |");
        table.add("|---|---|---|---|---|---|---|---|---|");
        for (String mode : modes) {
            boolean staticMembership = mode.equals("static");
            // Each mode starts from a clean stop, as a deployment switching membership would, and so from a flushed
            // state: a SIGKILL right after the take-on also loses what RocksDB had not flushed of it (Kafka Streams
            // runs RocksDB without its write-ahead log), and restoring that tail would count in one mode only.
            child.stop();
            child = Child.start(settings(staticMembership, partitions), heap, log);
            child.awaitReady();
            child.awaitAnswer(query);
            for (int round = 1; round <= rounds; round++) {
                for (String stop : stops) {
                    boolean kill = stop.equals("kill");
                    if (kill) {
                        child.kill();
                    } else {
                        child.stop();
                    }
                    long logOffset = Files.size(log);
                    child = Child.start(settings(staticMembership, partitions), heap, log);
                    Duration ready = child.awaitReady();
                    Duration answered = child.awaitAnswer(query);
                    Duration rebuilt = child.awaitIndexRebuilt(partitions);
                    String rebuild = child.indexRebuild();
                    String restored = restored(logOffset);
                    double spring = springStarted(logOffset);
                    String row = String.format(
                            "| %s | %s | %.1f s | %.1f s | %.1f s | %.1f s | %s | %.1f s | %s |",
                            mode,
                            kill ? "SIGKILL" : "clean (SIGTERM)",
                            ready.toMillis() / 1000.0,
                            spring,
                            ready.toMillis() / 1000.0 - spring,
                            answered.toMillis() / 1000.0,
                            restored,
                            rebuilt.toMillis() / 1000.0,
                            rebuild);
                    table.add(row);
                    print(row);
                }
            }
        }
        child.stop();
        child = null;
        table.forEach(RestartBenchmark::print);
        print("load average at end " + WindowBenchmark.loadAverage());
    }

    /** The child's properties: this broker and registry, the shared state directory, membership as asked. */
    private Map<String, Object> settings(boolean staticMembership, int partitions) {
        Map<String, Object> settings = new java.util.LinkedHashMap<>();
        // The service adds partitions to a topic that has fewer than it declares, which would move the contacts' keys.
        settings.put("janela.window.topics.partitions", partitions);
        settings.put("spring.kafka.bootstrap-servers", bootstrapServers);
        settings.put("spring.kafka.properties.schema.registry.url", registryUrl);
        settings.put("spring.kafka.streams.state-dir", stateDir);
        settings.put("janela.streams.instance-id", staticMembership ? "window-restart-benchmark" : "");
        // The service logs Kafka at WARN; the restore lines counted here are INFO.
        settings.put("logging.level.org.apache.kafka.streams.processor.internals.StoreChangelogReader", "INFO");
        return settings;
    }

    /** Waits until the group has committed every record of {@code topic}. */
    private void awaitCommitted(String topic, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, Long> ends = StreamsRun.endOffsets(admin, topic);
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get();
                if (ends.entrySet().stream()
                        .allMatch(end -> committed.get(end.getKey()) != null
                                && committed.get(end.getKey()).offset() >= end.getValue())) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            throw new IllegalStateException(group + " did not commit all of " + topic + " in 15 minutes");
        }
    }

    /** Changelog records restored per store since {@code offset} of the child's log, or "none". */
    private String restored(long offset) throws IOException {
        Map<String, Long> restored = new TreeMap<>();
        Matcher matcher = RESTORED.matcher(logSince(offset));
        while (matcher.find()) {
            restored.merge(matcher.group(2), Long.parseLong(matcher.group(3)), Long::sum);
        }
        return restored.isEmpty() ? "none" : restored.toString();
    }

    /** The JVM's age in seconds when Spring had started, from the first start line since {@code offset}; NaN if none. */
    private double springStarted(long offset) throws IOException {
        Matcher matcher = SPRING_STARTED.matcher(logSince(offset));
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    private String logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(
                all,
                (int) Math.min(offset, all.length),
                (int) Math.max(0, all.length - offset),
                StandardCharsets.UTF_8);
    }

    private int intArg(String name, int fallback) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void print(String line) {
        System.out.println("[restart-benchmark] " + line);
    }

    /** The window-service in a child JVM, started with this class path; its output appended to one log file. */
    private static final class Child {

        private final Process process;
        private final int port;
        private final long started;

        private Child(Process process, int port, long started) {
            this.process = process;
            this.port = port;
            this.started = started;
        }

        static Child start(Map<String, Object> properties, String heap, Path log) {
            int port = freePort();
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(List.of(heap.trim().split("\\s+")));
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), WindowApplication.class.getName()));
            Map<String, Object> all = new java.util.LinkedHashMap<>(properties);
            all.put("server.port", port);
            all.put("janela.window.query.advertised-port", port);
            all.forEach((key, value) -> command.add("--" + key + "=" + value));
            try {
                long started = System.nanoTime();
                Process process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                return new Child(process, port, started);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** From the start until readiness answers 200 (the window-service is ready once Kafka Streams RUNS). */
        Duration awaitReady() throws InterruptedException {
            awaitStatus("/actuator/health/readiness");
            return Duration.ofNanos(System.nanoTime() - started);
        }

        /** From the start until {@code path} answers 200. */
        Duration awaitAnswer(String path) throws InterruptedException {
            return awaitAnswer(path, LIMIT);
        }

        Duration awaitAnswer(String path, Duration limit) throws InterruptedException {
            awaitStatus(path, limit);
            return Duration.ofNanos(System.nanoTime() - started);
        }

        private void awaitStatus(String path) throws InterruptedException {
            awaitStatus(path, LIMIT);
        }

        private void awaitStatus(String path, Duration limit) throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2))
                    .build();
            long deadline = started + limit.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the window-service exited with " + process.exitValue());
                }
                try {
                    if (HTTP.send(request, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            throw new IllegalStateException(path + " did not answer 200 within " + limit);
        }

        /**
         * From the start until every one of the {@code tasks} has rebuilt its deadline index (the rebuild timer, which
         * a task records when its rebuild is complete, has counted them all).
         */
        Duration awaitIndexRebuilt(int tasks) throws InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5))
                    .build();
            long deadline = started + LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    String scrape = HTTP.send(request, HttpResponse.BodyHandlers.ofString())
                            .body();
                    if (sample(scrape, "janela_window_deadline_index_rebuild_seconds_count") >= tasks) {
                        return Duration.ofNanos(System.nanoTime() - started);
                    }
                } catch (IOException e) {
                    // a scrape that failed is tried again
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            throw new IllegalStateException("the deadline index was not rebuilt within " + LIMIT);
        }

        /** The deadline index's rebuild timer from /actuator/prometheus: tasks, total and longest. */
        String indexRebuild() throws IOException, InterruptedException {
            String scrape = HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            double count = sample(scrape, "janela_window_deadline_index_rebuild_seconds_count");
            double sum = sample(scrape, "janela_window_deadline_index_rebuild_seconds_sum");
            double max = scrape.lines()
                    .filter(line -> line.startsWith("janela_window_deadline_index_rebuild_seconds_max"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .max()
                    .orElse(Double.NaN);
            return String.format("%.0f tasks, %.2f s in all, longest %.2f s", count, sum, max);
        }

        private static double sample(String scrape, String name) {
            return scrape.lines()
                    .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        }

        /** SIGTERM, and waits until the process has exited (graceful shutdown closes Kafka Streams). */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the window-service did not stop within 60 s of SIGTERM");
            }
        }

        /** SIGKILL, and waits until the process is gone. */
        void kill() {
            process.toHandle().destroyForcibly();
            process.onExit().join();
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
