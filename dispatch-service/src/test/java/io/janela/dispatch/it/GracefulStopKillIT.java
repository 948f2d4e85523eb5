package io.janela.dispatch.it;

import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.Recipient;
import io.janela.testsupport.kafka.KafkaBrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14: a graceful stop must never crash the JVM. The dispatch-service runs in a child JVM with requests flowing
 * (its RocksDB stores hold uncommitted writes, KIP-892), Prometheus scrapes {@code /actuator/prometheus} in a tight
 * loop from two threads, and the child is stopped with SIGTERM, as Kubernetes stops a pod. Each stop must end the JVM
 * cleanly: exit code 143 (or 0), no {@code hs_err_pid*.log}, no SIGSEGV in its output. Before the fix, Micrometer's
 * Kafka Streams binder could read a state store's {@code uncommitted-bytes} gauge (a native RocksDB
 * {@code WriteBatch.getDataSize}) after the closing store had freed the batch.
 *
 * <p>Measured (6 attempts each, load 8–22 on two cores): before, 6 of 6 stops crashed (exit 134, SIGSEGV in
 * {@code Java_org_rocksdb_WriteBatch_getDataSize} on the scrape thread, 2.0–2.9 s after the SIGTERM; 3 of them had
 * first scraped an absurd uncommitted-bytes value); with {@code StreamsMeters} (schemas), 6 of 6 ended with 143 in
 * 4.6–5.4 s. Each attempt waits until Micrometer's binder has bound the task meters (it refreshes every 60 s): about
 * 30 s an attempt here. Behind the {@code kill-its} profile:
 * {@code ./mvnw -B -o -pl dispatch-service verify -Pkill-its -Dit.test=GracefulStopKillIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Djanela.graceful-stop.attempts=6}.
 */
class GracefulStopKillIT {

    private static final int ATTEMPTS = Integer.getInteger("janela.graceful-stop.attempts", 3);
    private static final String SCOPE = "dispatch-graceful-stop-it";
    private static final Pattern UNCOMMITTED =
            Pattern.compile("^kafka_stream_state_uncommitted_bytes\\{[^}]*} (\\S+)$", Pattern.MULTILINE);
    /** The Kafka Streams meters the operations dashboard and the alerts read (deploy/base/monitoring). */
    private static final List<String> DASHBOARD_METERS = List.of(
            "kafka_stream_client_state{", "kafka_stream_alive_stream_threads{", "kafka_stream_thread_process_rate{");
    /** Far beyond anything a store's transaction buffer holds here: a value read from freed memory. */
    private static final double ABSURD_BYTES = 1L << 40;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @RegisterExtension
    static final KafkaBrokerExtension kafka = new KafkaBrokerExtension();

    @Test
    void aSigtermWhilePrometheusScrapesInATightLoopEndsTheJvmCleanly() throws IOException {
        Path log = Path.of("target", "kill-it", SCOPE + ".log");
        Path crashReports = log.getParent();
        List<Stop> stops = new ArrayList<>();
        try (KillHarness harness = new KillHarness(kafka.broker(), SCOPE, 200, Map.of(), Map.of())) {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                long logBefore = Files.exists(log) ? Files.size(log) : 0;
                long reportsBefore = crashReports(crashReports);
                Stop stop = stopUnderScrape(harness, attempt);
                String output = Files.readString(log).substring((int) logBefore);
                stop = stop.withCrash(
                        output.contains("SIGSEGV") || output.contains("A fatal error has been detected"),
                        crashReports(crashReports) - reportsBefore);
                System.out.println("GracefulStopKillIT: attempt " + attempt + ": " + stop);
                stops.add(stop);
            }
        }
        System.out.printf(
                "GracefulStopKillIT: %d stops under scrape, %d crashed, %d read a freed store metric%n",
                stops.size(),
                stops.stream().filter(Stop::crashed).count(),
                stops.stream().filter(s -> s.absurdReads() > 0).count());
        assertThat(stops).allSatisfy(stop -> {
            assertThat(stop.dashboardMeters())
                    .as("the dashboards' Kafka Streams meters were exposed in %s", stop)
                    .isTrue();
            assertThat(stop.exitCode()).as("exit code of %s", stop).isIn(0, 143);
            assertThat(stop.crashed()).as("SIGSEGV in the output of %s", stop).isFalse();
            assertThat(stop.crashReports()).as("hs_err_pid files of %s", stop).isZero();
            assertThat(stop.absurdReads())
                    .as("uncommitted-bytes read from a freed write batch in %s", stop)
                    .isZero();
        });
    }

    private static Stop stopUnderScrape(KillHarness harness, int attempt) throws IOException {
        DispatchEnvironment environment = harness.environment;
        AtomicBoolean stopping = new AtomicBoolean();
        // Own threads: the common pool has a single thread on two cores.
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (DispatchChildProcess child = harness.startReady()) {
            URI prometheus = URI.create("http://127.0.0.1:" + child.port() + "/actuator/prometheus");
            CompletableFuture<Void> traffic = CompletableFuture.runAsync(
                    () -> {
                        for (int i = 0; !stopping.get(); i++) {
                            String contact = "US.stop" + attempt + "-" + i;
                            environment.window(contact, Instant.now().minus(Duration.ofHours(1)));
                            environment.request(
                                    "s",
                                    text("stop-" + attempt + "-" + i, "your order shipped")
                                            .setRecipient(new Recipient(null, contact))
                                            .build());
                        }
                    },
                    threads);
            // Micrometer binds the task and store meters on its first refresh after the assignment (every 60 s).
            await("Micrometer bound the task-level meters")
                    .atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptionsMatching(e -> e instanceof IOException)
                    .until(() -> scrape(prometheus).contains("kafka_stream_task_"));
            String before = scrape(prometheus);
            boolean dashboardMeters = DASHBOARD_METERS.stream().allMatch(before::contains);
            AtomicInteger scrapes = new AtomicInteger();
            AtomicInteger absurd = new AtomicInteger();
            AtomicLong storeMeters = new AtomicLong();
            Runnable scraper = () -> {
                while (child.alive()) {
                    try {
                        String page = scrape(prometheus);
                        scrapes.incrementAndGet();
                        Matcher values = UNCOMMITTED.matcher(page);
                        while (values.find()) {
                            storeMeters.incrementAndGet();
                            double bytes = Double.parseDouble(values.group(1));
                            if (bytes < 0 || bytes > ABSURD_BYTES) {
                                absurd.incrementAndGet();
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        // the server is going away: keep trying until the process is gone
                    }
                }
            };
            List<CompletableFuture<Void>> scrapers =
                    List.of(CompletableFuture.runAsync(scraper, threads), CompletableFuture.runAsync(scraper, threads));
            await("the scrapers run").atMost(Duration.ofSeconds(30)).until(() -> scrapes.get() >= 5);
            Instant signalled = Instant.now();
            int exitCode = child.terminate(Duration.ofSeconds(120));
            Duration stopTook = Duration.between(signalled, Instant.now());
            stopping.set(true);
            CompletableFuture.allOf(scrapers.toArray(CompletableFuture[]::new)).join();
            traffic.exceptionally(e -> null).join();
            return new Stop(
                    attempt,
                    exitCode,
                    stopTook,
                    dashboardMeters,
                    scrapes.get(),
                    storeMeters.get(),
                    absurd.get(),
                    false,
                    0);
        } finally {
            stopping.set(true);
            threads.shutdownNow();
        }
    }

    private static String scrape(URI prometheus) throws IOException {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(prometheus)
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static long crashReports(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err_pid"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One SIGTERM under scrape and what it left. */
    record Stop(
            int attempt,
            int exitCode,
            Duration took,
            boolean dashboardMeters,
            int scrapes,
            long storeMeterReads,
            int absurdReads,
            boolean crashed,
            long crashReports) {

        Stop withCrash(boolean crashed, long crashReports) {
            return new Stop(
                    attempt,
                    exitCode,
                    took,
                    dashboardMeters,
                    scrapes,
                    storeMeterReads,
                    absurdReads,
                    crashed,
                    crashReports);
        }
    }
}
