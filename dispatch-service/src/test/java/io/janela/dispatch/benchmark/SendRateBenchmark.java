package io.janela.dispatch.benchmark;

import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.SendCommand;
import io.janela.avro.TextPayload;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.graph.GraphApiClient;
import io.janela.dispatch.graph.GraphWebClients;
import io.janela.dispatch.send.Sender;
import io.janela.dispatch.topics.DispatchTopics;
import io.janela.localkafka.LocalKafkaBroker;
import io.janela.sandbox.CloudApiSandbox;
import io.janela.sandbox.SandboxControl;
import io.janela.sandbox.control.LoggedRequest;
import io.janela.testsupport.benchmark.Machine;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpRequestDecorator;
import org.springframework.web.reactive.function.client.ClientRequest;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The send rate the sender achieves from a backlog against a business number's throughput limit, measured where Meta
 * would measure it (the Cloud API sandbox's arrival times), next to a baseline in the same run: the same backlog and
 * sender with a limit far above what the machine can send, which shows that the limit, not the machine, binds. In the
 * limited run the sandbox enforces the limit as Meta does (a send with {@code limit} others in the trailing second is
 * refused with 130429), so the report also says how often the sender overran it where it counts.
 *
 * <p>Each run is made against the sandbox in this JVM ({@code in-jvm}) and in a JVM of its own ({@code process}), one
 * after the other in the same sitting: in this JVM the receiver's intake shares the sender's heap, collector and
 * threads, and its arrival times carry the sender's pauses. Every call is matched to its own arrival by its callback
 * data, so the report can tell, for each refused call, whether the calls the receiver counted against it had left the
 * client within a second (the sender's fault) or over more than a second (the receiver's intake bunched them).
 *
 * <pre>
 * ./mvnw -B -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp \
 *   -Dmdep.includeScope=test -pl dispatch-service -am
 * cd dispatch-service && nice -n 10 java -cp target/test-classes:target/classes:$(cat target/bench.cp) \
 *   io.janela.dispatch.benchmark.SendRateBenchmark limit=80 seconds=30
 * </pre>
 *
 * Arguments: {@code limit} (messages/s), {@code seconds} of backlog at the limit, {@code latency} (ms the sandbox
 * takes to answer), {@code intake-jitter} (the most ms the sandbox waits, at random, before it takes a send in and
 * counts it; 0 by default: its own intake only), {@code partitions}, {@code sandboxes} ({@code in-jvm,process}, the default, or either alone),
 * {@code shares} (the sender's {@code throughput-share} in each limited run, comma-separated; {@code 1.0} by default),
 * {@code backoff-steps} (its {@code throughput-backoff.step}, comma-separated; the service's 0.02 by default; 0 turns
 * the back-off off) and {@code counted-at} (its {@code throughput-counted-at}, {@code answer} by default, or
 * {@code departure}, or both comma-separated): a limited run is made for each combination. A share trades rate for a
 * fixed margin against the receiver's intake jitter, the back-off lowers the pace by a step after each 130429, counting
 * calls at their answers leaves no receiver room to count too many in a second at the price of the round trip; the
 * report gives refusals and rate for each.
 */
public final class SendRateBenchmark {

    private static final String SCOPE = "send-rate-benchmark";
    private static final String TOKEN = "benchmark-token";
    /** The baseline's business number: the sandbox does not limit it. */
    private static final String UNLIMITED_NUMBER = "100000000000002";

    private SendRateBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args);
        int limit = Integer.parseInt(options.getOrDefault("limit", "80"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "30"));
        int latency = Integer.parseInt(options.getOrDefault("latency", "20"));
        int intakeJitter = Integer.parseInt(options.getOrDefault("intake-jitter", "0"));
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "6"));
        List<String> sandboxes =
                List.of(options.getOrDefault("sandboxes", "in-jvm,process").split(","));
        List<Pace> paces = new ArrayList<>();
        for (String countedAt : options.getOrDefault("counted-at", "ANSWER").split(",")) {
            for (String share : options.getOrDefault("shares", "1.0").split(",")) {
                for (String step : options.getOrDefault("backoff-steps", "0.02").split(",")) {
                    paces.add(new Pace(
                            Double.parseDouble(share),
                            Double.parseDouble(step),
                            DispatchProperties.ThroughputCountedAt.valueOf(countedAt.toUpperCase(Locale.ROOT))));
                }
            }
        }
        Fixtures.businessNumber(); // trusts Avro's generated classes
        Path data = Files.createTempDirectory("dispatch-send-rate-benchmark-");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(data, 0, 0, Map.of())) {
            int backlog = limit * seconds;
            List<String> names = new ArrayList<>();
            for (String sandbox : sandboxes) {
                names.add(sandbox + " baseline (no limit)");
                paces.forEach(pace -> names.add(limitedRun(sandbox, limit, pace)));
            }
            createTopics(
                    broker.bootstrapServers(),
                    names.stream().map(name -> topics(runId(name))).toList(),
                    partitions);
            for (String name : names) {
                produceBacklog(
                        broker.bootstrapServers(),
                        topics(runId(name)),
                        runId(name),
                        name.contains("baseline") ? UNLIMITED_NUMBER : Fixtures.PHONE_NUMBER_ID,
                        backlog);
            }
            List<Run> runs = new ArrayList<>();
            for (String sandbox : sandboxes) {
                try (Receiver receiver = receiver(sandbox, limit, data)) {
                    receiver.control().latency(Duration.ofMillis(latency), Duration.ZERO);
                    receiver.control().intakeJitter(Duration.ofMillis(intakeJitter));
                    runs.add(run(
                            sandbox + " baseline (no limit)",
                            UNLIMITED_NUMBER,
                            1_000_000,
                            new Pace(1.0, 0, DispatchProperties.ThroughputCountedAt.ANSWER),
                            backlog,
                            latency,
                            broker,
                            receiver));
                    for (Pace pace : paces) {
                        runs.add(run(
                                limitedRun(sandbox, limit, pace),
                                Fixtures.PHONE_NUMBER_ID,
                                limit,
                                pace,
                                backlog,
                                latency,
                                broker,
                                receiver));
                    }
                }
            }

            System.out.println();
            System.out.println(
                    "| run | load average (1, 5, 15 min) before / after | sends | seconds | sends/s accepted at the"
                            + " receiver | refused 130429 | busiest second (calls / departures / arrivals / accepted) |"
                            + " departure gap p50 / p99 (ms) | arrival gap p50 / p99 (ms) | departure to arrival p50 / p99 /"
                            + " max (ms) |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (Run run : runs) {
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %s / %s | %,d | %.2f | %,.2f | %,d | %d / %d / %d / %d | %.1f / %.1f | %.1f / %.1f |"
                                + " %.1f / %.1f / %.1f |%n",
                        run.name(),
                        run.loadBefore(),
                        run.loadAfter(),
                        run.sends(),
                        run.seconds(),
                        run.perSecond(),
                        run.throttled(),
                        run.busiestCallSecond(),
                        run.busiestDepartureSecond(),
                        run.busiestArrivalSecond(),
                        run.busiestAcceptedSecond(),
                        run.departureGaps().getValueAtPercentile(50) / 1000.0,
                        run.departureGaps().getValueAtPercentile(99) / 1000.0,
                        run.gaps().getValueAtPercentile(50) / 1000.0,
                        run.gaps().getValueAtPercentile(99) / 1000.0,
                        run.intake().getValueAtPercentile(50) / 1000.0,
                        run.intake().getValueAtPercentile(99) / 1000.0,
                        run.intake().getMaxValue() / 1000.0);
            }
            Run baseline = null;
            for (Run limited : runs) {
                if (limited.name().contains("baseline")) {
                    baseline = limited; // each sandbox's baseline comes before its limited runs
                    continue;
                }
                System.out.printf(
                        Locale.ROOT,
                        "%n%s: at the receiver %.2f/s accepted against a limit of %d/s: %.2f %% of the limit (bar:"
                                + " within 2 %%); %,d calls refused 130429 (the receiver enforcing the limit over a"
                                + " trailing second), of which %,d with %d accepted in the second before them that had"
                                + " left the client over a second or more (the receiver's intake bunched them) and %,d"
                                + " within less (the sender let them leave too close), %,d not matched to a departure;"
                                + " the receiver shortened their spans by p50 %.1f / p90 %.1f / max %.1f ms (the margin"
                                + " over a second departures would have needed); the same sender without a limit sent"
                                + " %,.0f/s (%.1f x the limit).%n",
                        limited.name(),
                        limited.perSecond(),
                        limit,
                        100.0 * limited.perSecond() / limit,
                        limited.throttled(),
                        limited.refusedSqueezed(),
                        limit,
                        limited.refusedLeftTooClose(),
                        limited.throttled() - limited.refusedSqueezed() - limited.refusedLeftTooClose(),
                        limited.refusedShortened().getValueAtPercentile(50) / 1000.0,
                        limited.refusedShortened().getValueAtPercentile(90) / 1000.0,
                        limited.refusedShortened().getMaxValue() / 1000.0,
                        baseline.perSecond(),
                        baseline.perSecond() / limit);
            }
        }
    }

    /** Where the sends go: the sandbox's Graph API and its control API. */
    interface Receiver extends AutoCloseable {
        URI baseUrl();

        SandboxControl control();

        @Override
        void close();
    }

    /** The sandbox in this JVM, sharing its cores' scheduling, heap and collector with the sender. */
    private record InJvm(CloudApiSandbox sandbox) implements Receiver {
        @Override
        public URI baseUrl() {
            return sandbox.baseUrl();
        }

        @Override
        public SandboxControl control() {
            return sandbox.control();
        }

        @Override
        public void close() {
            sandbox.close();
        }
    }

    /** {@code in-jvm}: the sandbox in this JVM; {@code process}: in a child JVM of its own. */
    private static Receiver receiver(String kind, int limit, Path data) throws Exception {
        Map<String, Object> properties = new java.util.LinkedHashMap<>();
        properties.put("janela.sandbox.phone-numbers[0].id", Fixtures.PHONE_NUMBER_ID);
        properties.put("janela.sandbox.phone-numbers[0].waba-id", Fixtures.WABA_ID);
        properties.put("janela.sandbox.phone-numbers[0].display-phone-number", "15550783881");
        properties.put("janela.sandbox.phone-numbers[0].throughput-limit", limit);
        properties.put("janela.sandbox.phone-numbers[1].id", UNLIMITED_NUMBER);
        properties.put("janela.sandbox.phone-numbers[1].waba-id", Fixtures.WABA_ID);
        properties.put("janela.sandbox.phone-numbers[1].display-phone-number", "15550783882");
        properties.put("janela.sandbox.request-log-size", 1_000_000);
        return switch (kind) {
            case "in-jvm" -> {
                properties.put("server.port", 0);
                yield new InJvm(CloudApiSandbox.start(properties));
            }
            case "process" -> SandboxProcess.start(properties, data.resolve("sandbox.log"));
            default -> throw new IllegalArgumentException("sandboxes: in-jvm or process, not " + kind);
        };
    }

    /**
     * @param sends sends the sandbox accepted
     * @param throttled calls the sandbox refused with 130429 (more than the limit in the trailing second)
     * @param busiestCallSecond most calls started in one second, timed as the pacer starts them
     * @param busiestDepartureSecond most calls whose request was written in one second (the HTTP client's moment)
     * @param busiestArrivalSecond most calls the sandbox received in one second, on its own clock
     * @param busiestAcceptedSecond most sends the sandbox accepted in one second
     * @param departureGaps between consecutive departures (microseconds)
     * @param gaps between consecutive accepted arrivals (microseconds)
     * @param intake from a call's departure to its arrival at the sandbox, each call matched by its callback data
     *     (microseconds; the two processes read one system clock)
     * @param refusedSqueezed refused calls whose trailing second at the receiver held accepted calls that had left a
     *     second or more before them: the departures kept the limit, the receiver's intake bunched them
     * @param refusedLeftTooClose refused calls that left less than a second after the earliest of the accepted calls
     *     in their trailing second at the receiver: more than the limit left within a second
     * @param refusedShortened per refused call, how much shorter the receiver saw the span from the earliest-departed
     *     of those accepted calls to it than the client did (microseconds): the margin over a second the guard would
     *     have needed
     */
    record Run(
            String name,
            String loadBefore,
            String loadAfter,
            int sends,
            double seconds,
            int throttled,
            int busiestCallSecond,
            int busiestDepartureSecond,
            int busiestArrivalSecond,
            int busiestAcceptedSecond,
            Histogram departureGaps,
            Histogram gaps,
            Histogram intake,
            int refusedSqueezed,
            int refusedLeftTooClose,
            Histogram refusedShortened) {
        double perSecond() {
            return (sends - 1) / seconds;
        }
    }

    /**
     * How the sender paces a limited run: the share of the limit it aims at ({@code throughput-share}) and the step its
     * pace goes down by after each 130429 ({@code throughput-backoff.step}; 0: off).
     */
    record Pace(double share, double backoffStep, DispatchProperties.ThroughputCountedAt countedAt) {}

    /** A limited run's name: how the sender paces itself against the limit the receiver enforces. */
    private static String limitedRun(String sandbox, int limit, Pace pace) {
        return sandbox + " limit " + limit + "/s" + (pace.share() == 1.0 ? "" : " at throughput-share " + pace.share())
                + (pace.backoffStep() == 0 ? ", no back-off" : ", back-off step " + pace.backoffStep())
                + ", counted at " + pace.countedAt().name().toLowerCase(Locale.ROOT);
    }

    private static String runId(String name) {
        return name.replaceAll("[^a-z0-9]+", "-");
    }

    private static DispatchTopics topics(String run) {
        ValueSerdes values = ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE));
        JanelaTopics shared = JanelaTopics.create(TopicNames.defaults(), values);
        return DispatchTopics.create(
                shared,
                new DispatchProperties.Topics(
                        "bench." + run + ".send-commands", "bench." + run + ".send-journal", "bench.template-sync"),
                values);
    }

    private static Run run(
            String name,
            String phoneNumberId,
            int limit,
            Pace pace,
            int backlog,
            int latency,
            LocalKafkaBroker broker,
            Receiver sandbox)
            throws Exception {
        String run = runId(name);
        DispatchTopics topics = topics(run);

        BusinessNumber number =
                new BusinessNumber(phoneNumberId, Fixtures.WABA_ID, null, TOKEN, null, limit, ZoneId.of("UTC"));
        DispatchProperties.GraphApi graphApi = new DispatchProperties.GraphApi(
                sandbox.baseUrl(), "v24.0", Duration.ofSeconds(5), Duration.ofSeconds(20), 256);
        List<Long> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> departures = new java.util.concurrent.CopyOnWriteArrayList<>();
        // Each call's departure by its callback data (the request id), in order: retries of a request are sequential.
        Map<String, List<Long>> departedCalls = new java.util.concurrent.ConcurrentHashMap<>();
        GraphApiClient graph = new GraphApiClient(
                GraphWebClients.create(graphApi, ObservationRegistry.NOOP)
                        .mutate()
                        .filter((request, next) -> {
                            calls.add(System.nanoTime()); // as the pacer starts the call
                            AtomicReference<String> callbackData = new AtomicReference<>();
                            ClientRequest read = ClientRequest.from(request)
                                    .body((output, context) -> request.body()
                                            .insert(new CallbackDataReader(output, callbackData), context))
                                    .build();
                            // and as its request is written, before the pacer hears of it
                            return Mono.deferContextual(context -> {
                                Runnable sent = context.getOrDefault(GraphWebClients.REQUEST_SENT, () -> {});
                                Runnable timed = () -> {
                                    long now = System.nanoTime();
                                    departures.add(now);
                                    String id = callbackData.get();
                                    if (id != null) {
                                        departedCalls
                                                .computeIfAbsent(
                                                        id, key -> new java.util.concurrent.CopyOnWriteArrayList<>())
                                                .add(now);
                                    }
                                    sent.run();
                                };
                                return next.exchange(read)
                                        .contextWrite(inner -> inner.put(GraphWebClients.REQUEST_SENT, timed));
                            });
                        })
                        .build(),
                "v24.0",
                JsonMapper.builder().build());
        Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        int before = sandbox.control().accepted().size();
        String loadBefore = Machine.loadAverage();
        long began = System.nanoTime();
        Instant beganAt = Instant.now(); // the sandbox's clock: arrivals are timed on it
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Sender sender = new Sender(
                kafka,
                kafka,
                "bench-" + run,
                topics,
                settings(run, pace),
                new BusinessNumbers(List.of(number)),
                graph,
                meters,
                Clock.systemUTC())) {
            sender.start();
            while (sandbox.control().accepted().size() - before < backlog) {
                if (System.nanoTime() - began > TimeUnit.SECONDS.toNanos(backlog / Math.min(limit, 50) + 120)) {
                    throw new IllegalStateException(name + ": the backlog was not sent in time");
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
        String loadAfter = Machine.loadAverage();
        List<LoggedRequest> received = sandbox.control().requests().stream()
                .filter(request ->
                        request.callbackData() != null && request.callbackData().startsWith(run + "-"))
                .sorted(java.util.Comparator.comparing(LoggedRequest::receivedAt))
                .toList();
        List<Instant> arrivals = received.stream()
                .filter(LoggedRequest::accepted)
                .map(LoggedRequest::receivedAt)
                .toList();
        int throttled =
                (int) received.stream().filter(SendRateBenchmark::refused).count();
        // Each call's arrival at the sandbox against its own departure from the client: the j-th request the sandbox
        // logged with a callback data against the j-th departure with it.
        Map<LoggedRequest, Instant> departed = new java.util.IdentityHashMap<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (LoggedRequest request : received) {
            int j = seen.merge(request.callbackData(), 1, Integer::sum) - 1;
            List<Long> times = departedCalls.getOrDefault(request.callbackData(), List.of());
            if (j < times.size()) {
                departed.put(request, beganAt.plusNanos(times.get(j) - began));
            }
        }
        Histogram intake = new Histogram(3);
        departed.forEach((request, at) -> intake.recordValue(
                Math.max(0, Duration.between(at, request.receivedAt()).toNanos() / 1000)));
        // Why each refused call was refused: when the accepted calls in its trailing second at the receiver had left
        // the client.
        int squeezed = 0;
        int tooClose = 0;
        Histogram shortened = new Histogram(3);
        for (int i = 0; i < received.size(); i++) {
            LoggedRequest refused = received.get(i);
            if (!refused(refused) || !departed.containsKey(refused)) {
                continue;
            }
            Instant horizon = refused.receivedAt().minusSeconds(1);
            Instant earliest = null;
            LoggedRequest first = null;
            boolean all = true;
            for (int k = i - 1; k >= 0 && received.get(k).receivedAt().isAfter(horizon); k--) {
                LoggedRequest other = received.get(k);
                if (!other.accepted()) {
                    continue;
                }
                Instant left = departed.get(other);
                if (left == null) {
                    all = false;
                } else if (earliest == null || left.isBefore(earliest)) {
                    earliest = left;
                    first = other;
                }
            }
            if (earliest == null || !all) {
                continue;
            }
            // How much shorter the receiver saw the span from the first of them to the refused call than the client
            // did: the margin over a second that departures would have needed for that call.
            shortened.recordValue(Math.max(
                    0,
                    (Duration.between(earliest, departed.get(refused)).toNanos()
                                    - Duration.between(first.receivedAt(), refused.receivedAt())
                                            .toNanos())
                            / 1000));
            if (Duration.between(earliest, departed.get(refused)).compareTo(Duration.ofSeconds(1)) >= 0) {
                squeezed++;
            } else {
                tooClose++;
            }
        }
        Histogram gaps = gaps(arrivals);
        double secondsSpent =
                Duration.between(arrivals.getFirst(), arrivals.getLast()).toNanos() / 1e9;
        Run result = new Run(
                name,
                loadBefore,
                loadAfter,
                arrivals.size(),
                secondsSpent,
                throttled,
                busiestSecond(callsInOrder(calls)),
                busiestSecond(callsInOrder(departures)),
                busiestSecond(received.stream().map(LoggedRequest::receivedAt).toList()),
                busiestSecond(arrivals),
                gaps(callsInOrder(departures)),
                gaps,
                intake,
                squeezed,
                tooClose,
                shortened);
        var commits = meters.timer("janela.dispatch.sender.commits");
        var leaving = meters.timer("janela.dispatch.sender.call.departure");
        var answered = meters.find("janela.dispatch.send.duration").timers();
        System.out.printf(
                Locale.ROOT,
                "%s: %,d sends in %.2f s; %,d transactions, %.1f ms each on average; calls left %.1f ms after their"
                        + " start on average, %.1f ms at most; answered %.1f ms after their start on average, %.1f ms at"
                        + " most (the sandbox answers after %d ms)%n",
                name,
                result.sends(),
                secondsSpent,
                commits.count(),
                commits.mean(TimeUnit.MILLISECONDS),
                leaving.mean(TimeUnit.MILLISECONDS),
                leaving.max(TimeUnit.MILLISECONDS),
                answered.stream()
                        .mapToDouble(timer -> timer.mean(TimeUnit.MILLISECONDS))
                        .max()
                        .orElse(0),
                answered.stream()
                        .mapToDouble(timer -> timer.max(TimeUnit.MILLISECONDS))
                        .max()
                        .orElse(0),
                latency);
        return result;
    }

    private static boolean refused(LoggedRequest request) {
        return Integer.valueOf(130429).equals(request.errorCode()) && !request.accepted();
    }

    private static Histogram gaps(List<Instant> times) {
        Histogram gaps = new Histogram(3);
        for (int i = 1; i < times.size(); i++) {
            gaps.recordValue(Duration.between(times.get(i - 1), times.get(i)).toNanos() / 1000);
        }
        return gaps;
    }

    /** Reads a send's callback data (its request id) from its body as the client writes it. */
    private static final class CallbackDataReader extends ClientHttpRequestDecorator {

        private static final java.util.regex.Pattern CALLBACK_DATA =
                java.util.regex.Pattern.compile("\"biz_opaque_callback_data\"\\s*:\\s*\"([^\"]+)\"");

        private final AtomicReference<String> callbackData;

        CallbackDataReader(ClientHttpRequest delegate, AtomicReference<String> callbackData) {
            super(delegate);
            this.callbackData = callbackData;
        }

        @Override
        public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
            return super.writeWith(Flux.from(body).doOnNext(buffer -> {
                var found = CALLBACK_DATA.matcher(buffer.toString(StandardCharsets.UTF_8));
                if (found.find()) {
                    callbackData.set(found.group(1));
                }
            }));
        }
    }

    private static DispatchProperties.Sender settings(String run, Pace pace) {
        return Fixtures.senderSettings(
                "bench-" + run,
                8,
                DispatchProperties.InDoubtResolution.RESEND,
                pace.share(),
                pace.backoffStep(),
                pace.countedAt());
    }

    private static List<Instant> callsInOrder(List<Long> nanos) {
        long origin = nanos.stream().mapToLong(Long::longValue).min().orElse(0);
        Instant start = Instant.EPOCH;
        return nanos.stream().sorted().map(n -> start.plusNanos(n - origin)).toList();
    }

    private static int busiestSecond(List<Instant> arrivals) {
        int max = 0;
        int start = 0;
        for (int end = 0; end < arrivals.size(); end++) {
            while (!arrivals.get(end).isBefore(arrivals.get(start).plusSeconds(1))) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }

    /** Creates every run's topics at once, and waits until the broker leads all their partitions. */
    private static void createTopics(String bootstrap, List<DispatchTopics> runs, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> all = new ArrayList<>();
            JanelaTopics shared = runs.getFirst().shared();
            all.add(new NewTopic(shared.dispatchResults().name(), partitions, (short) 1));
            all.add(new NewTopic(shared.messageStatuses().name(), partitions, (short) 1));
            for (DispatchTopics topics : runs) {
                all.add(new NewTopic(topics.sendCommands().name(), partitions, (short) 1));
                all.add(new NewTopic(topics.sendJournal().name(), partitions, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")));
            }
            admin.createTopics(all).all().get(60, TimeUnit.SECONDS);
            List<String> names = all.stream().map(NewTopic::name).toList();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                    .allMatch(description ->
                            description.partitions().stream().allMatch(partition -> partition.leader() != null))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics without leaders: " + names);
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    private static void produceBacklog(
            String bootstrap, DispatchTopics topics, String run, String phoneNumberId, int backlog) throws Exception {
        Map<String, Object> config = Benchmarks.inputProducer(bootstrap);
        List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
        try (KafkaProducer<String, SendCommand> producer = new KafkaProducer<>(
                config,
                new StringSerializer(),
                topics.sendCommands().valueSerde().serializer())) {
            for (int i = 0; i < backlog; i++) {
                String contact = "US." + run + i;
                OutboundRequest request = OutboundRequest.newBuilder()
                        .setRequestId(run + "-" + i)
                        .setPhoneNumberId(phoneNumberId)
                        .setRecipient(new Recipient(null, contact))
                        .setCreatedAt(Instant.now())
                        .setPayload(new TextPayload("Your order " + i + " has shipped.", false))
                        .build();
                sends.add(producer.send(new ProducerRecord<>(
                        topics.sendCommands().name(),
                        phoneNumberId + ":" + contact,
                        Fixtures.sendCommand(request, null))));
            }
            producer.flush();
            for (var send : sends) {
                send.get(60, TimeUnit.SECONDS);
            }
        }
    }
}
