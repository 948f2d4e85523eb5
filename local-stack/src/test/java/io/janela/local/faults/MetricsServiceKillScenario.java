package io.janela.local.faults;

import io.janela.local.LocalHttp;
import io.janela.local.StackHandle;
import io.janela.local.demo.PrometheusText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The metrics-service SIGKILLed mid-flow while new contacts arrive, with this scenario scraping its
 * {@code /actuator/prometheus} every second as Prometheus would. Invariant: the windows opened that Prometheus saw
 * ({@code janela_windows_opened_total} of a business number used by this scenario only, its increases summed across
 * the restarts, a new process's counter counted from zero) equal the new contacts: none lost, none counted twice; and
 * no store of the restarted service was restored from scratch after a kill (the restore listener's meters on the new
 * process; before the first kill the service is stopped cleanly and restarted once it has committed, as in {@link
 * WindowServiceKillScenario}, so that its stores hold committed state on disk).
 */
record MetricsServiceKillScenario(StackHandle stack, int contacts, int rate, int kills) {

    static final String NAME = "metrics-service SIGKILL mid-flow (Prometheus counters)";
    static final String SERVICE = "metrics-service";
    /** Its Kafka Streams application id. */
    static final String GROUP = "janela-metrics";
    /** A business number of its own, so that its counter holds this scenario's windows only. */
    static final String PHONE_NUMBER_ID = "100000000000017";

    ScenarioResult run(String command) {
        ScenarioResult result = new ScenarioResult(NAME, command);
        String run = Long.toString(System.currentTimeMillis() % 1_000_000) + "m";
        List<CompletableFuture<SupervisedKill.Restart>> restarts = new ArrayList<>();
        PrometheusCounter counter = new PrometheusCounter(
                "janela_windows_opened_total", sample -> PHONE_NUMBER_ID.equals(sample.label("phone_number_id")));
        AtomicBoolean scraping = new AtomicBoolean(true);
        Thread scraper = Thread.ofPlatform().daemon().name("prometheus-scrapes").start(() -> {
            while (scraping.get()) {
                String page = scrape();
                if (page != null) {
                    counter.observe(PrometheusText.parse(page));
                }
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
        });
        long began = System.nanoTime();
        AtomicInteger uncommitted = new AtomicInteger();
        CompletableFuture<SupervisedKill.CleanRestart> cleanRestart = new CompletableFuture<>();
        try (MetaLikeSender sender = new MetaLikeSender(stack.webhookUrl(), stack::sign)) {
            int every = contacts / (kills + 1);
            sender.send(
                    PHONE_NUMBER_ID,
                    run,
                    contacts,
                    rate,
                    index -> {
                        if (restarts.size() < kills && index >= (restarts.size() + 1) * every) {
                            if (restarts.isEmpty() || restarts.getLast().isDone()) {
                                boolean first = restarts.isEmpty();
                                restarts.add(CompletableFuture.supplyAsync(() -> {
                                    if (first) {
                                        cleanRestart.complete(SupervisedKill.stopCleanlyAndRestart(
                                                stack, SERVICE, GROUP, () -> scrape() != null, uncommitted));
                                    }
                                    return SupervisedKill.killAndWatch(stack, SERVICE, () -> scrape() != null);
                                }));
                            }
                        }
                    },
                    () -> restarts.size() < kills || !restarts.getLast().isDone());
            restarts.forEach(CompletableFuture::join);
            FlowChecks.everyWebhookAccepted(result, sender, contacts, rate, began, Duration.ofMinutes(2));
            int expected = sender.acceptedCount();
            // Measurements wait the settle delay (30 s) after their last input before they are recorded.
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (counter.total() < expected && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
            long reachedAt = System.nanoTime();
            // Anything counted twice would show after the restarts' re-reads: keep scraping a while longer.
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(15));
            double seen = counter.total();
            result.figure(
                    "Prometheus saw %.0f windows opened for %d new contacts, over %d scrapes and %d counter resets;"
                            + " all counted %s after the first webhook",
                    seen,
                    expected,
                    counter.scrapes(),
                    counter.resets(),
                    ScenarioResult.seconds(Duration.ofNanos(reachedAt - began)));
            result.check("no counted window lost", seen >= expected, Math.max(0, expected - seen) + " lost");
            result.check("no window counted twice", seen <= expected, Math.max(0, seen - expected) + " doubled");
            TopicTally tally = new TopicTally(stack.bootstrapServers(), stack.registryUrl());
            FlowChecks.streams(result, sender, tally, run, PHONE_NUMBER_ID);
            SupervisedKill.CleanRestart clean = cleanRestart.getNow(null);
            if (clean != null) {
                result.figure(
                        "clean stop (SIGTERM) and restart before the kills, %s the service had committed: start ->"
                                + " ready %s; %s",
                        uncommitted.get() == 0 ? "after" : "BEFORE (2 minutes waited)",
                        ScenarioResult.seconds(clean.restart().startToReady()),
                        clean.restart().restores());
            }
            SupervisedKill.checkNoRestoreFromScratch(result, restarts, clean);
            int kill = 0;
            for (CompletableFuture<SupervisedKill.Restart> future : restarts) {
                SupervisedKill.Restart restart = future.join();
                kill++;
                result.figure(
                        "kill %d: restarted after %s (back-off); start -> ready %s; restored %s",
                        kill,
                        ScenarioResult.seconds(restart.backOff()),
                        ScenarioResult.seconds(restart.startToReady()),
                        restart.restoredByStore().isEmpty() ? "nothing" : restart.restoredByStore() + " records");
            }
            result.check("the service was killed " + kills + " times", restarts.size() == kills, restarts.size() + "");
        } finally {
            scraping.set(false);
            scraper.interrupt();
        }
        return result;
    }

    private String scrape() {
        return LocalHttp.bodyOrNull(
                stack.services().get(SERVICE).baseUrl() + "/actuator/prometheus", Duration.ofSeconds(5));
    }
}
