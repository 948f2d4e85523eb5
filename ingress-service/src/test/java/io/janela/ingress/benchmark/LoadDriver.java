package io.janela.ingress.benchmark;

import io.janela.ingress.benchmark.SignedWebhooks.Webhook;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Posts signed webhooks with Reactor Netty's HTTP client, on its own event loops, in two ways:
 *
 * <ul>
 *   <li>{@link #fixedRate open loop}: requests start on a fixed schedule whatever the server does, and latency is
 *       measured from when each request was due, not from when it was sent, so that a stalled server shows as
 *       latency rather than as fewer requests (no coordinated omission);
 *   <li>{@link #saturate closed loop}: a fixed number of clients, each sending its next request as soon as the
 *       previous one is answered: the highest rate the server sustains.
 * </ul>
 *
 * Latencies go to an HdrHistogram in microseconds.
 */
final class LoadDriver implements AutoCloseable {

    static final String PATH = "/webhooks/whatsapp";
    private static final long HIGHEST_MICROS = TimeUnit.SECONDS.toMicros(120);

    /** What one measured phase gave. */
    record Result(String label, long ok, long failed, double seconds, Histogram latencyMicros) {

        double throughput() {
            return ok / seconds;
        }

        double percentileMillis(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private final LoopResources loops = LoopResources.create("load-driver", 2, true);
    private final ConnectionProvider connections = ConnectionProvider.builder("load-driver")
            .maxConnections(1024)
            .pendingAcquireMaxCount(-1)
            .pendingAcquireTimeout(Duration.ofSeconds(120))
            .build();

    /** Open loop at {@code rate} requests per second: a warm-up that is not counted, then the measured phase. */
    Result fixedRate(String label, int port, List<Webhook> webhooks, int rate, Duration warmup, Duration duration) {
        HttpClient client = client(port);
        openLoop(client, webhooks, rate, warmup);
        return openLoop(client, webhooks, rate, duration).named(label);
    }

    /** Closed loop with {@code concurrency} clients: a warm-up that is not counted, then the measured phase. */
    Result saturate(
            String label, int port, List<Webhook> webhooks, int concurrency, Duration warmup, Duration duration) {
        HttpClient client = client(port);
        closedLoop(client, webhooks, concurrency, warmup);
        return closedLoop(client, webhooks, concurrency, duration).named(label);
    }

    private Phase openLoop(HttpClient client, List<Webhook> webhooks, int rate, Duration duration) {
        Phase phase = new Phase();
        long period = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        long end = start + duration.toNanos();
        long issued = 0;
        for (long due = start; due < end; due = start + issued * period) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            Webhook webhook = webhooks.get((int) (issued % webhooks.size()));
            long scheduled = due;
            send(client, webhook).subscribe(status -> phase.completed(scheduled, status), error -> phase.error());
            issued++;
        }
        phase.awaitCompletions(issued, Duration.ofSeconds(120));
        phase.elapsed(start);
        return phase;
    }

    private Phase closedLoop(HttpClient client, List<Webhook> webhooks, int concurrency, Duration duration) {
        Phase phase = new Phase();
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        Flux.range(0, concurrency)
                .flatMap(
                        user -> Mono.defer(() -> {
                                    long sent = System.nanoTime();
                                    Webhook webhook = webhooks.get((int) (next.getAndIncrement() % webhooks.size()));
                                    return send(client, webhook)
                                            .doOnNext(status -> phase.completed(sent, status))
                                            .onErrorResume(error -> {
                                                phase.error();
                                                return Mono.empty();
                                            });
                                })
                                .repeat(() -> System.nanoTime() < end),
                        concurrency)
                .blockLast(duration.plusSeconds(120));
        phase.elapsed(start);
        return phase;
    }

    private HttpClient client(int port) {
        return HttpClient.create(connections)
                .runOn(loops)
                .host("127.0.0.1")
                .port(port)
                .responseTimeout(Duration.ofSeconds(60));
    }

    private static Mono<Integer> send(HttpClient client, Webhook webhook) {
        return client.headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                        .set(HttpHeaderNames.CONTENT_LENGTH, webhook.body().length)
                        .set("X-Hub-Signature-256", webhook.signature()))
                .post()
                .uri(PATH)
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(webhook.body())))
                .responseSingle((response, body) ->
                        body.then(Mono.just(response.status().code())));
    }

    @Override
    public void close() {
        connections.dispose();
        loops.dispose();
    }

    /** Counters and latencies of one phase, filled from the client's event loops. */
    private static final class Phase {
        private final Histogram latency = new ConcurrentHistogram(HIGHEST_MICROS, 3);
        private final AtomicLong ok = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong lastCompletion = new AtomicLong();
        private volatile double seconds;

        void completed(long startedOrDue, int status) {
            long now = System.nanoTime();
            latency.recordValue(Math.min(HIGHEST_MICROS, TimeUnit.NANOSECONDS.toMicros(now - startedOrDue)));
            (status == 200 ? ok : failed).incrementAndGet();
            lastCompletion.accumulateAndGet(now, Math::max);
        }

        void error() {
            failed.incrementAndGet();
            lastCompletion.accumulateAndGet(System.nanoTime(), Math::max);
        }

        void awaitCompletions(long expected, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ok.get() + failed.get() < expected && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }

        void elapsed(long start) {
            seconds = (Math.max(lastCompletion.get(), start + 1) - start) / 1e9;
        }

        Result named(String label) {
            return new Result(label, ok.get(), failed.get(), seconds, latency);
        }
    }
}
