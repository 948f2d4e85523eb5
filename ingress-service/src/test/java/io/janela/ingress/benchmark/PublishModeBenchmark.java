package io.janela.ingress.benchmark;

import io.janela.localkafka.LocalKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What "once" costs, measured on one broker: a request's records published (a) by the ingress's way, one shared
 * idempotent producer and waiting for every acknowledgement, or (b) in a transaction of their own (begin, send,
 * commit) on one of a pool of transactional producers, which is how a consumer reading {@code read_committed} would
 * never see the records of a request that was answered 503.
 *
 * <p>Both are measured as the highest rate (closed loop, {@code concurrency} callers) and as latency at a fixed rate
 * (open loop, measured from when each request was due). Arguments as {@code name=value}: {@code rate=2000
 * concurrency=64 pool=16 batches=1,50 warmup=5s duration=20s}.
 *
 * <pre>
 * ./mvnw -q -pl ingress-service -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.janela.ingress.benchmark.PublishModeBenchmark -Dexec.args="duration=20s"
 * </pre>
 */
public final class PublishModeBenchmark {

    private static final String TOPIC = "benchmark.publish-modes";
    private static final int VALUE_BYTES = 700;
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);

    private PublishModeBenchmark() {}

    /** Publishes one request's records and returns when Kafka has them. */
    private interface Mode extends AutoCloseable {
        void publish(List<ProducerRecord<byte[], byte[]>> records) throws Exception;

        @Override
        void close();
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions options = new BenchmarkOptions(args);
        int rate = options.integer("rate", 2000);
        int concurrency = options.integer("concurrency", 64);
        int pool = options.integer("pool", 16);
        Duration warmup = options.duration("warmup", "5s");
        Duration duration = options.duration("duration", "20s");
        int[] batches = options.integers("batches", "1,50");
        System.out.printf(
                "Publish mode benchmark, %s: %d cores, Java %s; rate=%d/s concurrency=%d pool=%d warmup=%s duration=%s%n",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                rate,
                concurrency,
                pool,
                warmup,
                duration);

        Path data = Files.createTempDirectory("janela-publish-modes-");
        List<String> rows = new ArrayList<>();
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(data, 0, 0, Map.of())) {
            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            for (int batch : batches) {
                List<List<ProducerRecord<byte[], byte[]>>> requests = requests(1_000, batch);
                for (String name : List.of("idempotent", "transaction per request")) {
                    try (Mode mode = name.equals("idempotent")
                            ? idempotent(broker.bootstrapServers())
                            : transactional(broker.bootstrapServers(), pool)) {
                        String label = name + ", " + batch + (batch == 1 ? " record" : " records");
                        closedLoop(mode, requests, concurrency, warmup);
                        rows.add(row(label + ", max", closedLoop(mode, requests, concurrency, duration)));
                        openLoop(mode, requests, rate, concurrency, warmup);
                        rows.add(
                                row(label + ", " + rate + "/s", openLoop(mode, requests, rate, concurrency, duration)));
                        System.out.println(rows.get(rows.size() - 2));
                        System.out.println(rows.getLast());
                    }
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
        System.out.println();
        System.out.println("| run | requests/s | failed | p50 ms | p99 ms | p99.9 ms |");
        System.out.println("|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    private static Mode idempotent(String bootstrapServers) {
        Producer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig(bootstrapServers, null));
        return new Mode() {
            @Override
            public void publish(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
                List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
                for (ProducerRecord<byte[], byte[]> record : records) {
                    acks.add(producer.send(record));
                }
                for (Future<RecordMetadata> ack : acks) {
                    ack.get();
                }
            }

            @Override
            public void close() {
                producer.close();
            }
        };
    }

    private static Mode transactional(String bootstrapServers, int size) {
        BlockingQueue<Producer<byte[], byte[]>> producers = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Producer<byte[], byte[]> producer = new KafkaProducer<>(
                    producerConfig(bootstrapServers, "benchmark-tx-" + i + "-" + System.nanoTime()));
            producer.initTransactions();
            producers.add(producer);
        }
        return new Mode() {
            @Override
            public void publish(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
                Producer<byte[], byte[]> producer = producers.take();
                try {
                    producer.beginTransaction();
                    for (ProducerRecord<byte[], byte[]> record : records) {
                        producer.send(record);
                    }
                    producer.commitTransaction();
                } finally {
                    producers.add(producer);
                }
            }

            @Override
            public void close() {
                producers.forEach(Producer::close);
            }
        };
    }

    private static Map<String, Object> producerConfig(String bootstrapServers, String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return config;
    }

    private record Measured(long ok, long failed, double seconds, Histogram latency) {}

    private static Measured closedLoop(
            Mode mode, List<List<ProducerRecord<byte[], byte[]>>> requests, int concurrency, Duration duration)
            throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try (ExecutorService callers = Executors.newFixedThreadPool(concurrency)) {
            for (int i = 0; i < concurrency; i++) {
                callers.execute(() -> {
                    while (System.nanoTime() < end) {
                        long began = System.nanoTime();
                        run(
                                mode,
                                requests.get((int) (next.getAndIncrement() % requests.size())),
                                began,
                                latency,
                                ok,
                                failed);
                    }
                });
            }
            callers.shutdown();
            callers.awaitTermination(duration.toSeconds() + 120, TimeUnit.SECONDS);
        }
        return new Measured(ok.get(), failed.get(), (System.nanoTime() - start) / 1e9, latency);
    }

    private static Measured openLoop(
            Mode mode,
            List<List<ProducerRecord<byte[], byte[]>>> requests,
            int rate,
            int concurrency,
            Duration duration)
            throws InterruptedException {
        Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        long end = start + duration.toNanos();
        try (ExecutorService callers = Executors.newFixedThreadPool(concurrency)) {
            long issued = 0;
            for (long due = start; due < end; due = start + issued * period) {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                long scheduled = due;
                List<ProducerRecord<byte[], byte[]>> request = requests.get((int) (issued % requests.size()));
                callers.execute(() -> run(mode, request, scheduled, latency, ok, failed));
                issued++;
            }
            callers.shutdown();
            callers.awaitTermination(120, TimeUnit.SECONDS);
        }
        return new Measured(ok.get(), failed.get(), (System.nanoTime() - start) / 1e9, latency);
    }

    private static void run(
            Mode mode,
            List<ProducerRecord<byte[], byte[]>> request,
            long since,
            Histogram latency,
            AtomicLong ok,
            AtomicLong failed) {
        try {
            mode.publish(request);
            ok.incrementAndGet();
        } catch (Exception e) {
            failed.incrementAndGet();
        }
        latency.recordValue(Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - since)));
    }

    private static List<List<ProducerRecord<byte[], byte[]>>> requests(int count, int recordsPerRequest) {
        SplittableRandom random = new SplittableRandom(7);
        List<List<ProducerRecord<byte[], byte[]>>> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(recordsPerRequest);
            for (int r = 0; r < recordsPerRequest; r++) {
                byte[] value = new byte[VALUE_BYTES];
                random.nextBytes(value);
                byte[] key = ("106540352242922:US." + random.nextLong(1_000_000_000L)).getBytes();
                records.add(new ProducerRecord<>(TOPIC, key, value));
            }
            requests.add(records);
        }
        return requests;
    }

    private static String row(String label, Measured measured) {
        return String.format(
                Locale.ROOT,
                "| %s | %.0f | %d | %.2f | %.2f | %.2f |",
                label,
                measured.ok() / measured.seconds(),
                measured.failed(),
                measured.latency().getValueAtPercentile(50) / 1000.0,
                measured.latency().getValueAtPercentile(99) / 1000.0,
                measured.latency().getValueAtPercentile(99.9) / 1000.0);
    }
}
