package io.janela.ingress.benchmark;

import io.janela.ingress.IngressApplication;
import io.janela.ingress.TestWebhooks;
import io.janela.ingress.benchmark.LoadDriver.Result;
import io.janela.ingress.benchmark.SignedWebhooks.Webhook;
import io.janela.localkafka.LocalKafkaBroker;
import io.janela.serde.registry.MockSchemaRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Load benchmark of the ingress against a bare WebFlux endpoint, in one run on one machine: a Kafka node
 * ({@link LocalKafkaBroker}), the ingress service and the bare endpoint all start in this JVM on free ports, and
 * {@link LoadDriver} posts signed webhooks (1 message each, and batches of 50) to both.
 *
 * <p>For each batch size, after a warm-up of both, several rounds of: the highest rate each sustains (closed loop),
 * then latency at a fixed rate (open loop, 2,000 requests/s by default). Rounds interleave the two endpoints so that
 * the noise of a shared machine falls on both; the throughput ratio is reported per round and as the median. The
 * ingress answers 200 only once Kafka acknowledged every record (acks=all), so its figures include the broker's
 * work; the bare endpoint only reads the body. Arguments, all optional, as {@code name=value}: {@code rate=2000
 * concurrency=256 warmup=20s duration=20s rounds=3 batches=1,50 webhooks=2000 linger=5 inline=32KB} ({@code linger}:
 * the producer's {@code linger.ms}; {@code inline}: {@code janela.ingress.inline-body-limit}), and {@code
 * ingress-only} to leave the bare endpoint out (for profiling).
 *
 * <p>The closed loop needs enough clients that latency does not cap it: with {@code c} clients waiting {@code l}
 * seconds each, no server gets more than {@code c / l} requests per second, and the ingress's latency includes the
 * producer's {@code linger.ms} and the broker's acknowledgement.
 *
 * <pre>
 * ./mvnw -q -pl ingress-service -am test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.janela.ingress.benchmark.IngressLoadBenchmark -Dexec.args="rounds=3 duration=20s"
 * </pre>
 */
public final class IngressLoadBenchmark {

    private static final String REGISTRY_SCOPE = "ingress-load-benchmark";

    private IngressLoadBenchmark() {}

    public static void main(String[] args) throws IOException {
        BenchmarkOptions options = new BenchmarkOptions(args);
        int rate = options.integer("rate", 2000);
        int concurrency = options.integer("concurrency", 256);
        Duration warmup = options.duration("warmup", "20s");
        Duration duration = options.duration("duration", "20s");
        int rounds = options.integer("rounds", 3);
        int[] batches = options.integers("batches", "1,50");
        int distinct = options.integer("webhooks", 2000);
        boolean bareToo = !options.flag("ingress-only");
        int lingerMs = options.integer("linger", 5);
        String inlineBodyLimit = options.text("inline", "32KB");

        System.out.printf(
                "Ingress load benchmark, %s: %d cores, %s %s, max heap %d MiB; rate=%d/s concurrency=%d warmup=%s"
                        + " duration=%s rounds=%d linger.ms=%d inline-body-limit=%s%n",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024),
                rate,
                concurrency,
                warmup,
                duration,
                rounds,
                lingerMs,
                inlineBodyLimit);

        Path data = Files.createTempDirectory("janela-ingress-benchmark-");
        List<Result> results = new ArrayList<>();
        try (LocalKafkaBroker broker = LocalKafkaBroker.start(data, 0, 0, Map.of());
                ConfigurableApplicationContext ingress =
                        startIngress(broker.bootstrapServers(), lingerMs, inlineBodyLimit);
                ConfigurableApplicationContext bare = startBare();
                LoadDriver driver = new LoadDriver()) {
            int ingressPort = port(ingress);
            int barePort = port(bare);
            for (int batch : batches) {
                List<Webhook> webhooks = SignedWebhooks.generate(distinct, batch, 42L + batch);
                String size = batch + (batch == 1 ? " message" : " messages");
                // Until the JIT has compiled both paths, the first phase measures the compiler, not the code.
                if (bareToo) {
                    driver.saturate("warm-up", barePort, webhooks, concurrency, Duration.ZERO, warmup);
                }
                driver.saturate("warm-up", ingressPort, webhooks, concurrency, Duration.ZERO, warmup);
                List<Double> ratios = new ArrayList<>();
                for (int round = 1; round <= rounds; round++) {
                    String suffix = ", " + size + ", round " + round;
                    Result ingressMax = driver.saturate(
                            "ingress max" + suffix, ingressPort, webhooks, concurrency, Duration.ZERO, duration);
                    results.add(ingressMax);
                    if (bareToo) {
                        Result bareMax = driver.saturate(
                                "bare max" + suffix, barePort, webhooks, concurrency, Duration.ZERO, duration);
                        results.add(bareMax);
                        ratios.add(ingressMax.throughput() / bareMax.throughput());
                        results.add(driver.fixedRate(
                                "bare " + rate + "/s" + suffix, barePort, webhooks, rate, Duration.ZERO, duration));
                    }
                    results.add(driver.fixedRate(
                            "ingress " + rate + "/s" + suffix, ingressPort, webhooks, rate, Duration.ZERO, duration));
                    print(results);
                }
                if (!ratios.isEmpty()) {
                    System.out.printf(
                            Locale.ROOT,
                            "batch %d: ingress max / bare max per round = %s, median %.0f %%%n",
                            batch,
                            ratios.stream()
                                    .map(ratio -> String.format(Locale.ROOT, "%.0f %%", 100 * ratio))
                                    .toList(),
                            100 * ratios.stream().sorted().toList().get(ratios.size() / 2));
                }
            }
            MeterRegistry meters = ingress.getBean(MeterRegistry.class);
            double published = meters.find("janela.webhook.records.published").counters().stream()
                    .mapToDouble(counter -> counter.count())
                    .sum();
            System.out.printf("records Kafka acknowledged to the ingress: %.0f%n", published);
        } finally {
            MockSchemaRegistry.dropScope(REGISTRY_SCOPE);
            delete(data);
        }
    }

    private static void print(List<Result> results) {
        System.out.println();
        System.out.println("| run | requests/s | ok | failed | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Result result : results) {
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.0f | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                    result.label(),
                    result.throughput(),
                    result.ok(),
                    result.failed(),
                    result.percentileMillis(50),
                    result.percentileMillis(90),
                    result.percentileMillis(99),
                    result.percentileMillis(99.9),
                    result.latencyMicros().getMaxValue() / 1000.0);
        }
        System.out.println();
    }

    private static ConfigurableApplicationContext startIngress(
            String bootstrapServers, int lingerMs, String inlineBodyLimit) {
        // Command-line arguments: they take precedence over application.yml, unlike the builder's default properties.
        return new SpringApplicationBuilder(IngressApplication.class)
                .web(WebApplicationType.REACTIVE)
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN",
                        "--spring.kafka.bootstrap-servers=" + bootstrapServers,
                        "--spring.kafka.properties.schema.registry.url=mock://" + REGISTRY_SCOPE,
                        "--janela.ingress.app-secrets=" + TestWebhooks.APP_SECRET,
                        "--janela.ingress.verify-token=" + TestWebhooks.VERIFY_TOKEN,
                        "--janela.ingress.topics.partitions=6",
                        "--spring.kafka.producer.properties.linger.ms=" + lingerMs,
                        "--janela.ingress.inline-body-limit=" + inlineBodyLimit);
    }

    private static ConfigurableApplicationContext startBare() {
        return new SpringApplicationBuilder(BareWebFluxEndpoint.class)
                .web(WebApplicationType.REACTIVE)
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN",
                        "--spring.application.name=bare-webflux-endpoint",
                        // Not the ingress's application.yml, which is on the same class path.
                        "--spring.config.name=bare-webflux-endpoint");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static void delete(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }
}
