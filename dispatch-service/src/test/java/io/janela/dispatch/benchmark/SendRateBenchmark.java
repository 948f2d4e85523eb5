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
import io.janela.sandbox.control.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
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
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The send rate the sender achieves from a backlog against a business number's throughput limit, measured where Meta
 * would measure it (the Cloud API sandbox's arrival times), next to a baseline in the same run: the same backlog and
 * sender with a limit far above what the machine can send, which shows that the limit, not the machine, binds. In the
 * limited run the sandbox enforces the limit as Meta does (a send with {@code limit} others in the trailing second is
 * refused with 130429), so the report also says how often the sender overran it where it counts.
 *
 * <pre>
 * ./mvnw -q -pl dispatch-service -am test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=io.janela.dispatch.benchmark.SendRateBenchmark -Dexec.args="limit=80 seconds=30"
 * </pre>
 *
 * Arguments: {@code limit} (messages/s), {@code seconds} of backlog at the limit, {@code latency} (ms the sandbox
 * takes to answer), {@code partitions}.
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
        int partitions = Integer.parseInt(options.getOrDefault("partitions", "6"));
        Fixtures.businessNumber(); // trusts Avro's generated classes
        Path data = Files.createTempDirectory("dispatch-send-rate-benchmark-");
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(data, 0, 0, Map.of());
                CloudApiSandbox sandbox = CloudApiSandbox.start(Map.of(
                        "server.port",
                        0,
                        "janela.sandbox.phone-numbers[0].id",
                        Fixtures.PHONE_NUMBER_ID,
                        "janela.sandbox.phone-numbers[0].waba-id",
                        Fixtures.WABA_ID,
                        "janela.sandbox.phone-numbers[0].display-phone-number",
                        "15550783881",
                        "janela.sandbox.phone-numbers[0].throughput-limit",
                        limit,
                        "janela.sandbox.phone-numbers[1].id",
                        UNLIMITED_NUMBER,
                        "janela.sandbox.phone-numbers[1].waba-id",
                        Fixtures.WABA_ID,
                        "janela.sandbox.phone-numbers[1].display-phone-number",
                        "15550783882",
                        "janela.sandbox.request-log-size",
                        1_000_000))) {
            sandbox.control().latency(Duration.ofMillis(latency), Duration.ZERO);
            int backlog = limit * seconds;
            String baselineName = "baseline (no limit)";
            String limitedName = "limit " + limit + "/s";
            createTopics(
                    broker.bootstrapServers(),
                    List.of(topics(runId(baselineName)), topics(runId(limitedName))),
                    partitions);
            produceBacklog(
                    broker.bootstrapServers(),
                    topics(runId(baselineName)),
                    runId(baselineName),
                    UNLIMITED_NUMBER,
                    backlog);
            produceBacklog(
                    broker.bootstrapServers(),
                    topics(runId(limitedName)),
                    runId(limitedName),
                    Fixtures.PHONE_NUMBER_ID,
                    backlog);
            Run baseline = run(baselineName, UNLIMITED_NUMBER, 1_000_000, backlog, latency, broker, sandbox);
            Run limited = run(limitedName, Fixtures.PHONE_NUMBER_ID, limit, backlog, latency, broker, sandbox);

            System.out.println();
            System.out.println("| run | sends | seconds | sends/s at the receiver | refused 130429 | busiest second"
                    + " (calls / departures / arrivals / accepted) | arrival gap p50 / p99 (ms) | departure to arrival p50 / p99 /"
                    + " max (ms) |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (Run run : List.of(baseline, limited)) {
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %,d | %.2f | %,.2f | %,d | %d / %d / %d / %d | %.1f / %.1f | %.1f / %.1f / %.1f |%n",
                        run.name(),
                        run.sends(),
                        run.seconds(),
                        run.perSecond(),
                        run.throttled(),
                        run.busiestCallSecond(),
                        run.busiestDepartureSecond(),
                        run.busiestArrivalSecond(),
                        run.busiestAcceptedSecond(),
                        run.gaps().getValueAtPercentile(50) / 1000.0,
                        run.gaps().getValueAtPercentile(99) / 1000.0,
                        run.intake().getValueAtPercentile(50) / 1000.0,
                        run.intake().getValueAtPercentile(99) / 1000.0,
                        run.intake().getMaxValue() / 1000.0);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%nAt the receiver: %.2f/s accepted against a limit of %d/s: %.2f %% of the limit (bar: within"
                            + " 2 %%); %,d calls refused 130429 (the receiver enforcing the limit over a trailing"
                            + " second); the same sender without a limit sent %,.0f/s (%.1f x the limit).%n",
                    limited.perSecond(),
                    limit,
                    100.0 * limited.perSecond() / limit,
                    limited.throttled(),
                    baseline.perSecond(),
                    baseline.perSecond() / limit);
        }
    }

    /**
     * @param sends sends the sandbox accepted
     * @param throttled calls the sandbox refused with 130429 (more than the limit in the trailing second)
     * @param busiestCallSecond most calls started in one second, timed as the pacer starts them
     * @param busiestDepartureSecond most calls whose request was written in one second (the HTTP client's moment)
     * @param busiestArrivalSecond most calls the sandbox received in one second (adds the machine's scheduling jitter)
     * @param busiestAcceptedSecond most sends the sandbox accepted in one second
     * @param intake from a call's departure to its arrival at the sandbox (k-th against k-th; microseconds)
     */
    record Run(
            String name,
            int sends,
            double seconds,
            int throttled,
            int busiestCallSecond,
            int busiestDepartureSecond,
            int busiestArrivalSecond,
            int busiestAcceptedSecond,
            Histogram gaps,
            Histogram intake) {
        double perSecond() {
            return (sends - 1) / seconds;
        }
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
            int backlog,
            int latency,
            LocalKafkaBroker broker,
            CloudApiSandbox sandbox)
            throws Exception {
        String run = runId(name);
        DispatchTopics topics = topics(run);

        BusinessNumber number =
                new BusinessNumber(phoneNumberId, Fixtures.WABA_ID, null, TOKEN, null, limit, ZoneId.of("UTC"));
        DispatchProperties.GraphApi graphApi = new DispatchProperties.GraphApi(
                sandbox.baseUrl(), "v24.0", Duration.ofSeconds(5), Duration.ofSeconds(20), 256);
        List<Long> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Long> departures = new java.util.concurrent.CopyOnWriteArrayList<>();
        GraphApiClient graph = new GraphApiClient(
                GraphWebClients.create(graphApi, ObservationRegistry.NOOP)
                        .mutate()
                        .filter((request, next) -> {
                            calls.add(System.nanoTime()); // as the pacer starts the call
                            // and as its request is written, before the pacer hears of it
                            return Mono.deferContextual(context -> {
                                Runnable sent = context.getOrDefault(GraphWebClients.REQUEST_SENT, () -> {});
                                Runnable timed = () -> {
                                    departures.add(System.nanoTime());
                                    sent.run();
                                };
                                return next.exchange(request)
                                        .contextWrite(inner -> inner.put(GraphWebClients.REQUEST_SENT, timed));
                            });
                        })
                        .build(),
                "v24.0",
                JsonMapper.builder().build());
        Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
        int before = sandbox.control().accepted().size();
        long began = System.nanoTime();
        Instant beganAt = Instant.now(); // the sandbox's clock: arrivals are timed on it
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Sender sender = new Sender(
                kafka,
                kafka,
                "bench-" + run,
                topics,
                settings(run),
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
        List<LoggedRequest> received = sandbox.control().requests().stream()
                .filter(request ->
                        request.callbackData() != null && request.callbackData().startsWith(run + "-"))
                .toList();
        List<Instant> arrivals = received.stream()
                .filter(LoggedRequest::accepted)
                .map(LoggedRequest::receivedAt)
                .sorted()
                .toList();
        int throttled = (int) received.stream()
                .filter(request -> Integer.valueOf(130429).equals(request.errorCode()))
                .count();
        // The k-th arrival at the sandbox against the k-th departure: how long after the client wrote it the
        // receiver took a call in, an estimate (calls on different connections may be taken in out of order).
        List<Instant> departed = departures.stream()
                .sorted()
                .map(nanos -> beganAt.plusNanos(nanos - began))
                .toList();
        List<Instant> arrived =
                received.stream().map(LoggedRequest::receivedAt).sorted().toList();
        Histogram intake = new Histogram(3);
        for (int i = 0; i < Math.min(departed.size(), arrived.size()); i++) {
            intake.recordValue(Math.max(
                    0, Duration.between(departed.get(i), arrived.get(i)).toNanos() / 1000));
        }
        Histogram gaps = new Histogram(3);
        for (int i = 1; i < arrivals.size(); i++) {
            gaps.recordValue(
                    Duration.between(arrivals.get(i - 1), arrivals.get(i)).toNanos() / 1000);
        }
        double secondsSpent =
                Duration.between(arrivals.getFirst(), arrivals.getLast()).toNanos() / 1e9;
        Run result = new Run(
                name,
                arrivals.size(),
                secondsSpent,
                throttled,
                busiestSecond(callsInOrder(calls)),
                busiestSecond(callsInOrder(departures)),
                busiestSecond(received.stream()
                        .map(LoggedRequest::receivedAt)
                        .sorted()
                        .toList()),
                busiestSecond(arrivals),
                gaps,
                intake);
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

    private static DispatchProperties.Sender settings(String run) {
        return Fixtures.senderSettings("bench-" + run, 8, DispatchProperties.InDoubtResolution.RESEND);
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
