package io.janela.local.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janela.avro.Origin;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.TextPayload;
import io.janela.contract.TopicNames;
import io.janela.local.LocalHttp;
import io.janela.local.StackHandle;
import io.janela.local.StackHandle.ServiceInfo;
import io.janela.local.demo.PrometheusText;
import io.janela.local.demo.TopicReading;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The whole stack under load, in one process tree: this JVM runs the Kafka node, the registry and the driver; the
 * sandbox and the four services are child JVMs (as the run command starts them, Meta's 24 h window). It measures, in one
 * run:
 *
 * <ol>
 *   <li>a <b>baseline</b>: records produced (acks=all) to a scratch topic of the same broker at the inbound rate and
 *       read back by a {@code read_committed} consumer: what Kafka alone costs on this machine now;
 *   <li><b>inbound</b>: signed {@code messages} webhooks, one new contact each, POSTed to ingress at {@code inbound}
 *       per second; the time from the POST to the OPENED event read ({@code read_committed}) from
 *       whatsapp.window-events, and how many OPENED per second came out;
 *   <li><b>outbound</b>: for contacts whose window opened, a free-form reply published to whatsapp.outbound-requests at
 *       {@code outbound} per second; the time from publishing until the sandbox received the send;
 *   <li><b>resources</b> of each process: CPU (share of one core) over the measured seconds, and the largest heap
 *       in use ({@code jvm_memory_used_bytes{area="heap"}} from each service's /actuator/prometheus) and resident
 *       memory.
 * </ol>
 *
 * Arguments ({@code key=value}): {@code inbound} (webhooks/s, default 200), {@code outbound} (requests/s, default 40;
 * dispatch sends at most 80/s per business number), {@code seconds} (measured, default 30), {@code warmup} (default
 * 10).
 */
public final class EndToEndBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StackHandle stack;
    private final int inboundRate;
    private final int outboundRate;
    private final Duration measured;
    private final Duration warmup;
    private final String run = Long.toString(System.currentTimeMillis() % 1_000_000);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, Long> postedAt = new ConcurrentHashMap<>();
    private final Map<String, String> waIds = new ConcurrentHashMap<>();
    private final Map<String, Long> publishedAtMillis = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<String[]> opened = new LinkedBlockingQueue<>();
    private final Histogram webhookToOpened = new Histogram(60_000_000_000L, 3);
    private final Histogram webhookPost = new Histogram(60_000_000_000L, 3);
    private final AtomicLong openedInMeasure = new AtomicLong();
    private final AtomicLong postedInMeasure = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean measuring = new AtomicBoolean();
    private final AtomicBoolean sending = new AtomicBoolean(true);
    private final AtomicBoolean stopped = new AtomicBoolean();

    EndToEndBenchmark(StackHandle stack, int inboundRate, int outboundRate, Duration measured, Duration warmup) {
        this.stack = stack;
        this.inboundRate = inboundRate;
        this.outboundRate = outboundRate;
        this.measured = measured;
        this.warmup = warmup;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args.length == 1 ? args[0].split("\\s+") : args) {
            String[] pair = arg.split("=", 2);
            if (pair.length == 2) {
                options.put(pair[0], pair[1]);
            }
        }
        int inbound = Integer.parseInt(options.getOrDefault("inbound", "200"));
        int outbound = Integer.parseInt(options.getOrDefault("outbound", "40"));
        Duration seconds = Duration.ofSeconds(Long.parseLong(options.getOrDefault("seconds", "30")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "10")));
        Path root = Path.of(System.getProperty("janela.repository.root", ".."))
                .toAbsolutePath()
                .normalize();
        if (!Files.isDirectory(root.resolve("ingress-service"))) {
            root = Path.of(".").toAbsolutePath().normalize();
        }
        Path data = Files.createTempDirectory("janela-e2e-benchmark");
        long started = System.nanoTime();
        try (StackHandle stack = StackHandle.start(root, data, List.of())) {
            System.out.printf(Locale.ROOT, "Stack ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
            new EndToEndBenchmark(stack, inbound, outbound, seconds, warmup).run();
        }
        System.exit(0);
    }

    void run() throws Exception {
        Histogram baseline = baseline();
        Map<String, Resources> resources = new LinkedHashMap<>();
        Thread consumer = Thread.ofPlatform().daemon().name("opened-events").start(this::readOpened);
        Thread replies = Thread.ofPlatform().daemon().name("replies").start(this::reply);
        Waits.pause(Duration.ofSeconds(3)); // the consumer is assigned and at the end
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long measureTo = measureFrom + measured.toNanos();
        long interval = 1_000_000_000L / inboundRate;
        long next = start;
        long contact = 0;
        Map<String, long[]> cpuBefore = null;
        Thread sampler = null;
        while (System.nanoTime() < measureTo) {
            long now = System.nanoTime();
            if (cpuBefore == null && now >= measureFrom) {
                measuring.set(true);
                cpuBefore = cpuTimes();
                sampler = Thread.ofPlatform().daemon().name("sampler").start(() -> sample(resources));
            }
            if (now < next) {
                java.util.concurrent.locks.LockSupport.parkNanos(next - now);
                continue;
            }
            post(contact++);
            next += interval;
        }
        Map<String, long[]> cpuAfter = cpuTimes();
        measuring.set(false);
        sending.set(false);
        long measuredNanos = measureTo - measureFrom;
        Waits.pause(Duration.ofSeconds(10)); // let the last ones arrive
        if (sampler != null) {
            sampler.interrupt();
        }
        stopped.set(true);
        consumer.join();
        replies.interrupt();
        Histogram outbound = outboundLatencies();
        report(baseline, outbound, cpuBefore, cpuAfter, measuredNanos, resources);
    }

    /** Kafka alone: produce (acks=all) and read back (read_committed) at the inbound rate, for {@code seconds}. */
    private Histogram baseline() throws Exception {
        String topic = "benchmark.baseline-" + run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
        }
        Histogram latency = new Histogram(60_000_000_000L, 3);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (KafkaConsumer<String, byte[]> consumer = consumer()) {
                List<TopicPartition> partitions = partitions(consumer, topic);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                while (!done.get()) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        Long at = sentAt.remove(record.key());
                        if (at != null) {
                            latency.recordValue(System.nanoTime() - at);
                        }
                    }
                }
            }
        });
        Waits.pause(Duration.ofSeconds(2));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                1,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class))) {
            long interval = 1_000_000_000L / inboundRate;
            long end = System.nanoTime()
                    + Duration.ofSeconds(Math.min(20, measured.toSeconds())).toNanos();
            long next = System.nanoTime();
            long i = 0;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now < next) {
                    java.util.concurrent.locks.LockSupport.parkNanos(next - now);
                    continue;
                }
                String key = "k" + i++;
                sentAt.put(key, System.nanoTime());
                producer.send(new ProducerRecord<>(topic, key, "x".repeat(600)));
                next += interval;
            }
        }
        Waits.pause(Duration.ofSeconds(3));
        done.set(true);
        reader.join();
        return latency;
    }

    private void post(long index) {
        String userId = "BR.e2e" + run + index;
        String waId = String.format(Locale.ROOT, "55119%08d", index % 100_000_000);
        long epochSeconds = Instant.now().getEpochSecond();
        String body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"200000000000001\",\"changes\":"
                        + "[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":"
                        + "\"15550000001\",\"phone_number_id\":\"%s\"},\"contacts\":[{\"profile\":{\"name\":\"Load\"},"
                        + "\"wa_id\":\"%s\",\"user_id\":\"%s\"}],\"messages\":[{\"from\":\"%s\",\"from_user_id\":"
                        + "\"%s\",\"id\":\"wamid.e2e-%s-%d\",\"timestamp\":\"%d\",\"type\":\"text\",\"text\":"
                        + "{\"body\":\"Hello, is my order on its way?\"}}]},\"field\":\"messages\"}]}]}")
                .formatted(stack.phoneNumberId(), waId, userId, waId, userId, run, index, epochSeconds);
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.webhookUrl()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", stack.sign(body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        String key = stack.phoneNumberId() + ":" + userId;
        long at = System.nanoTime();
        boolean counted = measuring.get();
        postedAt.put(key, at);
        if (counted) {
            postedInMeasure.incrementAndGet();
        }
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
            if (failure != null || response.statusCode() != 200) {
                refused.incrementAndGet();
            } else if (counted) {
                synchronized (webhookPost) {
                    webhookPost.recordValue(System.nanoTime() - at);
                }
            }
        });
        waIds.put(key, "+" + waId);
    }

    private void readOpened() {
        String topic = TopicNames.defaults().windowEvents();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (!stopped.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    Long at = postedAt.remove(record.key());
                    if (at == null) {
                        continue;
                    }
                    // With Meta's 24 h window, the only event of a new contact within the run is OPENED.
                    long latency = System.nanoTime() - at;
                    if (measuring.get()) {
                        synchronized (webhookToOpened) {
                            webhookToOpened.recordValue(latency);
                        }
                        openedInMeasure.incrementAndGet();
                    }
                    String userId = record.key().substring(record.key().indexOf(':') + 1);
                    opened.offer(new String[] {userId, waIds.remove(record.key())});
                }
            }
        }
    }

    /** Replies to contacts whose window opened, at the outbound rate, while the measured part runs. */
    private void reply() {
        long interval = 1_000_000_000L / outboundRate;
        long next = System.nanoTime();
        try {
            while (sending.get()) {
                String[] contact = opened.take();
                long now = System.nanoTime();
                if (now < next) {
                    Thread.sleep(Duration.ofNanos(next - now));
                }
                next = Math.max(next + interval, System.nanoTime() - interval);
                if (!measuring.get()) {
                    continue;
                }
                String requestId = "e2e-" + run + "-" + UUID.randomUUID();
                OutboundRequest request = OutboundRequest.newBuilder()
                        .setRequestId(requestId)
                        .setPhoneNumberId(stack.phoneNumberId())
                        .setRecipient(new Recipient(contact[1], contact[0]))
                        .setCreatedAt(Instant.now())
                        .setOrigin(Origin.BOT)
                        .setPayload(new TextPayload("Yes, it ships today.", false))
                        .build();
                publishedAtMillis.put(requestId, System.currentTimeMillis());
                stack.outbound().publishAsync(request, (metadata, failure) -> {});
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** From publishing a reply until the sandbox logged the send (both clocks are this machine's). */
    private Histogram outboundLatencies() throws IOException, InterruptedException {
        Histogram latency = new Histogram(600_000L, 3);
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(stack.sandboxUrl() + "/sandbox/requests"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        for (JsonNode request : JSON.readTree(response.body())) {
            Long published = publishedAtMillis.get(request.path("callbackData").asText());
            if (published != null) {
                JsonNode at = request.path("receivedAt");
                long received = at.isNumber()
                        ? (long) (at.asDouble() * 1000)
                        : Instant.parse(at.asText()).toEpochMilli();
                latency.recordValue(Math.max(0, received - published));
            }
        }
        return latency;
    }

    /** Largest heap in use per service (from its Prometheus page), every two seconds. */
    private void sample(Map<String, Resources> resources) {
        while (!Thread.currentThread().isInterrupted()) {
            for (ServiceInfo service : stack.services().values()) {
                double heap = Double.NaN;
                if (service.prometheus()) {
                    String page = get(service.baseUrl() + "/actuator/prometheus");
                    if (page != null) {
                        heap = PrometheusText.parse(page)
                                .sum(
                                        "jvm_memory_used_bytes",
                                        s -> s.label("area").equals("heap"));
                    }
                }
                resources.merge(service.name(), new Resources(heap, rss(service.pid())), Resources::later);
            }
            Runtime runtime = Runtime.getRuntime();
            double launcherHeap = runtime.totalMemory() - runtime.freeMemory();
            resources.merge(
                    "launcher",
                    new Resources(launcherHeap, rss(ProcessHandle.current().pid())),
                    Resources::later);
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The largest heap seen (NaN: none seen) and the latest resident memory. */
    record Resources(double maxHeap, double rss) {

        Resources later(Resources next) {
            double heap = Double.isNaN(maxHeap)
                    ? next.maxHeap()
                    : Double.isNaN(next.maxHeap()) ? maxHeap : Math.max(maxHeap, next.maxHeap());
            return new Resources(heap, next.rss());
        }
    }

    private Map<String, long[]> cpuTimes() {
        Map<String, long[]> cpu = new LinkedHashMap<>();
        cpu.put("launcher", new long[] {cpuNanos(ProcessHandle.current())});
        stack.services()
                .values()
                .forEach(service -> cpu.put(
                        service.name(),
                        new long[] {cpuNanos(ProcessHandle.of(service.pid()).orElseThrow())}));
        return cpu;
    }

    private static long cpuNanos(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static double rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return Double.NaN;
    }

    private void report(
            Histogram baseline,
            Histogram outbound,
            Map<String, long[]> cpuBefore,
            Map<String, long[]> cpuAfter,
            long measuredNanos,
            Map<String, Resources> resources) {
        double seconds = measuredNanos / 1e9;
        double openedPerSecond = openedInMeasure.get() / seconds;
        System.out.printf(
                Locale.ROOT,
                """

                End to end, %d s measured after %d s warm-up; offered %d webhooks/s (one new contact each), %d replies/s
                  inbound   posted %d, OPENED read %d: %.1f OPENED/s = %.2f of the offered rate; non-200 or failed POSTs %d
                  webhook POST answered        p50 %s  p99 %s  max %s
                  webhook POST -> OPENED       p50 %s  p99 %s  max %s   (n=%d)
                  baseline produce -> consume  p50 %s  p99 %s  max %s   (n=%d; acks=all, read_committed, same broker)
                  ratio to the baseline        p50 %.1f x  p99 %.1f x
                  outbound request -> sandbox  p50 %s  p99 %s  max %s   (n=%d)
                resources over the measured part (CPU: share of one core; heap: largest in use; RSS at the end)
                """,
                measured.toSeconds(),
                warmup.toSeconds(),
                inboundRate,
                outboundRate,
                postedInMeasure.get(),
                openedInMeasure.get(),
                openedPerSecond,
                openedPerSecond / inboundRate,
                refused.get(),
                ms(webhookPost.getValueAtPercentile(50)),
                ms(webhookPost.getValueAtPercentile(99)),
                ms(webhookPost.getMaxValue()),
                ms(webhookToOpened.getValueAtPercentile(50)),
                ms(webhookToOpened.getValueAtPercentile(99)),
                ms(webhookToOpened.getMaxValue()),
                webhookToOpened.getTotalCount(),
                ms(baseline.getValueAtPercentile(50)),
                ms(baseline.getValueAtPercentile(99)),
                ms(baseline.getMaxValue()),
                baseline.getTotalCount(),
                (double) webhookToOpened.getValueAtPercentile(50) / baseline.getValueAtPercentile(50),
                (double) webhookToOpened.getValueAtPercentile(99) / baseline.getValueAtPercentile(99),
                millis(outbound.getValueAtPercentile(50)),
                millis(outbound.getValueAtPercentile(99)),
                millis(outbound.getMaxValue()),
                outbound.getTotalCount());
        List<String> names = new ArrayList<>(cpuAfter.keySet());
        for (String name : names) {
            double cpu = (cpuAfter.get(name)[0] - cpuBefore.get(name)[0]) / (double) measuredNanos;
            Resources used = resources.getOrDefault(name, new Resources(Double.NaN, Double.NaN));
            System.out.printf(
                    Locale.ROOT,
                    "  %-18s CPU %5.0f %%   heap %7s   RSS %7s%s%n",
                    name,
                    cpu * 100,
                    mb(used.maxHeap()),
                    mb(used.rss()),
                    name.equals("launcher") ? "   (Kafka node, schema registry and this load driver)" : "");
        }
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    private static String millis(long millis) {
        return millis + " ms";
    }

    private static String mb(double bytes) {
        return Double.isNaN(bytes) ? "n/a" : String.format(Locale.ROOT, "%.0f MB", bytes / (1024 * 1024));
    }

    private String get(String url) {
        return LocalHttp.bodyOrNull(url, Duration.ofSeconds(5));
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return TopicReading.committedBytes(stack.bootstrapServers());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        return TopicReading.assignAll(consumer, topic, Duration.ofSeconds(30));
    }

    /** Pauses for the driver (not a test: it measures over time). */
    static final class Waits {
        private Waits() {}

        static void pause(Duration duration) {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
