package io.janela.testfixtures.restart;

import io.janela.localkafka.LocalKafkaBroker;
import io.janela.serde.registry.MockSchemaRegistry;
import io.janela.serde.registry.SchemaRegistryException;
import io.janela.testfixtures.restart.RestartTarget.Environment;
import io.janela.testfixtures.restart.RestartTarget.Output;
import io.janela.testfixtures.restart.RestartTarget.Query;
import io.janela.testfixtures.restart.RestartTarget.Rebuild;
import io.janela.testsupport.benchmark.Machine;
import io.janela.testsupport.benchmark.ThroughputRun;
import io.janela.testsupport.registry.RegistryOverHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The restart benchmark of a Streams service (issue 14, docs/benchmarks.md "Restart"). One Kafka node and the schema
 * registry (served over HTTP) in this JVM; the service itself, unchanged ({@link RestartTarget#application()}, the
 * calling module's test class path), in a child JVM with the heap the deployment gives it. The child first takes on
 * {@code contacts} contacts ({@link RestartTarget#load}); then, on the same state directory, it is stopped and started
 * again, cleanly (SIGTERM: Spring's graceful shutdown closes Kafka Streams) and with SIGKILL (nothing closed, nothing
 * flushed), first with dynamic group membership, then with static membership ({@code janela.streams.instance-id}).
 * For each restart: from the new JVM's start to readiness (UP only once Kafka Streams is RUNNING), of which the JVM
 * and Spring start (the log's "process running for"), and to the first answer (a query answered 200, or the output
 * record of a probe input written at the start: {@link RestartTarget#answer}); changelog records restored (the log's
 * "Finished restoring changelog" lines), the CPU time the child used until ready (all its threads; on a shared machine
 * the wall clock is that divided by the share of the cores the child got) and, where the service has one, the deadline
 * index's rebuild (its timer, from /actuator/prometheus).
 *
 * <p>Arguments (all optional): {@code contacts=1000000 partitions=6 rounds=1 modes=dynamic,static stops=clean,kill
 * heap="…"} (the heap defaults to the service's deployment's). {@code app=<jar>} runs the child from a jar with
 * {@code -jar} instead of the calling module's test class path (e.g. the extracted form of the executable jar,
 * {@code java -Djarmode=tools -jar service.jar extract}, whose class path is jars only, as in the container image).
 * {@code jvm="A|B"} restarts the child with each set of JVM options (added to {@code heap}) in turn, after each stop,
 * so that both are measured in the same run; before the measured restarts of a mode each set is started once and
 * stopped cleanly (as a class-data archive made at exit, {@code -XX:+AutoCreateSharedArchive}, would be after a first
 * clean stop). Each mode starts from a clean stop, as a deployment
 * switching membership would, and so from a flushed state (a SIGKILL right after the take-on also loses what RocksDB had
 * not flushed of it, and restoring that tail would count in one mode only).
 */
public final class RestartBenchmark {

    private static final Duration LIMIT = Duration.ofMinutes(5);
    /** Taking on a million contacts takes 2.5 min at load 30 on 2 cores; more when the machine is busier. */
    private static final Duration TAKE_ON_LIMIT = Duration.ofMinutes(20);

    private static final Pattern RESTORED = Pattern.compile(
            "Finished restoring changelog (\\S+) to store (\\S+) with a total number of (\\d+) records");

    private final RestartTarget target;
    private final Map<String, String> args;
    private final Environment environment;
    private final Path stateDir;
    private final Path log;
    private final Pattern springStarted;
    /** The service running now: killed if the benchmark fails, so that no child outlives it. */
    private ServiceChild child;

    private int probes;

    private RestartBenchmark(RestartTarget target, Map<String, String> args, Path work, Environment environment) {
        this.target = target;
        this.args = args;
        this.environment = environment;
        this.stateDir = work.resolve("state");
        this.log = work.resolve(target.name() + ".log");
        this.springStarted = Pattern.compile("Started " + target.application().getSimpleName()
                + " in \\S+ seconds \\(process running for (\\S+)\\)");
    }

    /** Runs the benchmark of {@code target} with {@code arguments} ({@code name=value}) and exits the JVM. */
    public static void main(String[] arguments, RestartTarget target) {
        Map<String, String> args = new HashMap<>();
        for (String argument : arguments) {
            for (String pair : argument.split("\\s+(?=\\w+=)")) {
                if (pair.contains("=")) {
                    args.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
        }
        String scope = target.name() + "-restart-benchmark";
        int exit = 0;
        Path work = null;
        try {
            work = Files.createTempDirectory(scope);
            MockSchemaRegistry registry = MockSchemaRegistry.forScope(scope);
            try (LocalKafkaBroker broker = LocalKafkaBroker.start(work.resolve("kafka"), 0, 0, Map.of());
                    RegistryOverHttp http = new RegistryOverHttp(
                            id -> registry.schemaById(id).toString(),
                            (subject, schema) -> registry.register(subject, new Schema.Parser().parse(schema)),
                            (subject, schema) -> registry.idOf(subject, new Schema.Parser().parse(schema)),
                            e -> e instanceof SchemaRegistryException failure
                                    ? new RegistryOverHttp.Failure(failure.httpStatus(), failure.errorCode())
                                    : null)) {
                RestartBenchmark benchmark = new RestartBenchmark(
                        target, args, work, new Environment(broker.bootstrapServers(), http.url(), "mock://" + scope));
                try {
                    benchmark.run();
                } finally {
                    if (benchmark.child != null) {
                        benchmark.child.kill();
                    }
                    target.close();
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        }
        if (work != null) {
            System.out.println("child JVM log kept in " + work.resolve(target.name() + ".log"));
        }
        System.exit(exit); // the in-process broker leaves non-daemon threads behind
    }

    private void run() throws Exception {
        int contacts = intArg("contacts", 1_000_000);
        int partitions = intArg("partitions", 6);
        int rounds = intArg("rounds", 1);
        List<String> modes =
                List.of(args.getOrDefault("modes", "dynamic,static").split(","));
        List<String> stops = List.of(args.getOrDefault("stops", "clean,kill").split(","));
        String heap = args.getOrDefault("heap", target.heap());
        List<String> jvms = List.of(args.getOrDefault("jvm", "").split("\\|", -1));
        Path app = args.containsKey("app") ? Path.of(args.get("app")) : null;
        print(target.name() + " restart benchmark, " + Instant.now() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, load average at start " + Machine.loadAverage()
                + "; child JVM " + heap + (app == null ? " (test class path)" : " -jar " + app));
        long loadStarted = System.nanoTime();
        String loaded = target.load(environment, partitions, contacts);
        print(String.format("loaded %s in %.1f s", loaded, seconds(loadStarted)));

        child = start(false, partitions, app, heap + " " + jvms.get(0));
        long takeOnStarted = System.nanoTime();
        child.awaitReady(TAKE_ON_LIMIT);
        awaitCommitted(target.takeOnTopics(), target.applicationId());
        awaitAnswer(child, null, TAKE_ON_LIMIT);
        print(String.format(
                "%s took on the %,d contacts in %.1f s (from its start); state directory %,d MB",
                target.name(), contacts, seconds(takeOnStarted), directorySize(stateDir) / 1_000_000));

        Rebuild rebuild = target.rebuild(partitions);
        String answer = target.answer(contacts) instanceof Query ? "first answered query" : "first output record";
        List<String> table = new ArrayList<>();
        table.add(
                "| membership | stop | JVM options | start → RUNNING (ready) | of which JVM + Spring | RUNNING after Spring | CPU time to"
                        + " ready | start → "
                        + answer + " | changelog records restored"
                        + (rebuild == null
                                ? ""
                                : " | start → index rebuilt (all tasks) | index rebuild (tasks, longest)")
                        + " |");
        table.add(
                rebuild == null
                        ? "|---|---|---|---|---|---|---|---|---|"
                        : "|---|---|---|---|---|---|---|---|---|---|---|");
        for (String mode : modes) {
            boolean staticMembership = mode.equals("static");
            // With several JVM option sets, each is started and stopped cleanly once, and the first started again.
            List<String> warmUps = new ArrayList<>(jvms);
            if (jvms.size() > 1) {
                warmUps.add(jvms.get(0));
            }
            for (String jvm : warmUps) {
                child.stop();
                child = start(staticMembership, partitions, app, heap + " " + jvm);
                child.awaitReady(LIMIT);
                awaitAnswer(child, null, LIMIT);
            }
            List<List<String>> restarts = new ArrayList<>();
            stops.forEach(stop -> jvms.forEach(jvm -> restarts.add(List.of(stop, jvm))));
            for (int round = 1; round <= rounds; round++) {
                for (List<String> restart : restarts) {
                    String stop = restart.get(0);
                    String jvm = restart.get(1);
                    boolean kill = stop.equals("kill");
                    if (kill) {
                        child.kill();
                    } else {
                        child.stop();
                    }
                    long logOffset = Files.size(log);
                    OutputWatch watch = watch();
                    child = start(staticMembership, partitions, app, heap + " " + jvm);
                    Duration answered;
                    Duration ready;
                    Duration cpu;
                    try (watch) {
                        String marker = watch == null ? null : probe();
                        ready = child.awaitReady(LIMIT);
                        cpu = child.cpuTime();
                        answered = awaitAnswer(child, watch == null ? null : new Awaited(watch, marker), LIMIT);
                    }
                    String restored = restored(logOffset);
                    double spring = springStarted(logOffset);
                    StringBuilder row = new StringBuilder(String.format(
                            "| %s | %s | %s | %.1f s | %.1f s | %.1f s | %.1f s | %.1f s | %s |",
                            mode,
                            kill ? "SIGKILL" : "clean (SIGTERM)",
                            jvm.isBlank() ? "-" : jvm.trim(),
                            ready.toMillis() / 1000.0,
                            spring,
                            ready.toMillis() / 1000.0 - spring,
                            cpu.toMillis() / 1000.0,
                            answered.toMillis() / 1000.0,
                            restored));
                    if (rebuild != null) {
                        Duration rebuilt = child.awaitRebuilds(rebuild, LIMIT);
                        row.append(String.format(
                                " %s | %s |",
                                rebuilt == null
                                        ? "not within " + LIMIT
                                        : String.format("%.1f s", rebuilt.toMillis() / 1000.0),
                                child.rebuildTimer(rebuild)));
                    }
                    table.add(row.toString());
                    print(row.toString());
                }
            }
        }
        child.stop();
        child = null;
        table.forEach(RestartBenchmark::print);
        print("load average at end " + Machine.loadAverage());
    }

    private ServiceChild start(boolean staticMembership, int partitions, Path app, String jvm) {
        Map<String, Object> settings = new LinkedHashMap<>(target.properties(partitions));
        settings.put("spring.kafka.bootstrap-servers", environment.bootstrapServers());
        settings.put("spring.kafka.properties.schema.registry.url", environment.registryUrl());
        settings.put("spring.kafka.streams.state-dir", stateDir);
        settings.put("janela.streams.instance-id", staticMembership ? target.name() + "-restart-benchmark" : "");
        // The services log Kafka at WARN; the restore lines counted here are INFO.
        settings.put("logging.level.org.apache.kafka.streams.processor.internals.StoreChangelogReader", "INFO");
        return ServiceChild.start(target, settings, app, jvm, log);
    }

    /** A reader of the service's output placed at its end before a start, for a probe; null when it answers queries. */
    private OutputWatch watch() throws Exception {
        return target.answer(0) instanceof Output output
                ? OutputWatch.atEnd(environment.bootstrapServers(), output.topics())
                : null;
    }

    private String probe() throws Exception {
        Output output = (Output) target.answer(0);
        return output.probe().send(environment, ++probes);
    }

    /** What a restart waits for when the service answers with output: this watch seeing this marker. */
    private record Awaited(OutputWatch watch, String marker) {}

    /**
     * From {@code child}'s start until it answers: its query answers 200, or the output of a probe ({@code awaited};
     * null: a probe is written now, as after the take-on) is read.
     */
    private Duration awaitAnswer(ServiceChild child, Awaited awaited, Duration limit) throws Exception {
        RestartTarget.Answer answer = target.answer(intArg("contacts", 1_000_000));
        if (answer instanceof Query query) {
            return child.awaitStatus(query.path(), limit);
        }
        if (awaited != null) {
            return awaited.watch().await(awaited.marker(), child, limit);
        }
        try (OutputWatch watch = watch()) {
            return watch.await(probe(), child, limit);
        }
    }

    /** Waits until the group has committed every record of {@code topics}. */
    private void awaitCommitted(List<String> topics, String group) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, environment.bootstrapServers()))) {
            Map<TopicPartition, Long> ends = ThroughputRun.committedEnds(admin, topics);
            long deadline = System.nanoTime() + TAKE_ON_LIMIT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!child.alive()) {
                    throw new IllegalStateException(target.name() + " exited during the take-on");
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get();
                if (ends.entrySet().stream()
                        .allMatch(end -> end.getValue() == 0
                                || (committed.get(end.getKey()) != null
                                        && committed.get(end.getKey()).offset() >= end.getValue()))) {
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            throw new IllegalStateException(group + " did not commit all of " + topics + " in " + TAKE_ON_LIMIT);
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
        Matcher matcher = springStarted.matcher(logSince(offset));
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

    static void print(String line) {
        System.out.println("[restart-benchmark] " + line);
    }

    /** The bytes of every file below {@code root}. */
    public static long directorySize(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(file -> file.toFile().length())
                    .sum();
        }
    }
}
