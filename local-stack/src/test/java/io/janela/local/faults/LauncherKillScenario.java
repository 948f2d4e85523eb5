package io.janela.local.faults;

import io.janela.local.ChildLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The launcher SIGKILLed mid-webhooks, with the Kafka node and the registry that run inside its JVM: the broker dies
 * uncleanly while ingress (left running) keeps answering, 503 since nothing can acknowledge, and the sender retries
 * as Meta does. After {@code OUTAGE} a new launcher starts on the same data directory and ports: it stops the
 * leftovers, recovers the Kafka log, starts every service. Invariants ({@code read_committed}): every webhook is
 * accepted in the end, every accepted one is in whatsapp.inbound-messages, each new contact has exactly one OPENED.
 * Figures: how many POSTs got 503 or no answer, and the time from the new launcher's start to the first accepted
 * webhook (issue 17 measured 105 s before leftovers were stopped in parallel).
 */
record LauncherKillScenario(Path repositoryRoot, Path dataDirectory, int contacts, int rate) {

    static final String NAME = "launcher (and its Kafka node) SIGKILL mid-webhooks, Meta-like retries, restart";
    static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Duration READY = Duration.ofMinutes(8);

    /** Kill-to-restart timings, nanoTime based. */
    private record Restart(long killedAt, long restartedAt, long readyAt) {}

    ScenarioResult run(String command) {
        ScenarioResult result = new ScenarioResult(NAME, command);
        String run = Long.toString(System.currentTimeMillis() % 1_000_000) + "l";
        try (ChildLauncher launcher = ChildLauncher.prepare(repositoryRoot, dataDirectory)) {
            long coldStart = System.nanoTime();
            launcher.start();
            awaitReady(launcher);
            result.figure(
                    "first start (empty data directory): every service ready after %s; port offset %d (ingress on"
                            + " %d; the kernel's ephemeral range is %s)",
                    ScenarioResult.seconds(Duration.ofNanos(System.nanoTime() - coldStart)),
                    launcher.portOffset(),
                    8080 + launcher.portOffset(),
                    ChildLauncher.ephemeralRange());
            long began = System.nanoTime();
            CompletableFuture<Restart>[] restart = new CompletableFuture[1];
            try (MetaLikeSender sender = new MetaLikeSender(launcher.webhookUrl(), launcher::sign)) {
                sender.send(
                        launcher.phoneNumberId(),
                        run,
                        contacts,
                        rate,
                        index -> {
                            if (restart[0] == null && index >= contacts / 3) {
                                restart[0] = CompletableFuture.supplyAsync(() -> {
                                    long killedAt = System.nanoTime();
                                    launcher.kill();
                                    LockSupport.parkNanos(OUTAGE.toNanos());
                                    long restartedAt = System.nanoTime();
                                    launcher.start();
                                    awaitReady(launcher);
                                    return new Restart(killedAt, restartedAt, System.nanoTime());
                                });
                            }
                        },
                        () -> restart[0] == null || !restart[0].isDone());
                Restart timings = restart[0].join();
                FlowChecks.everyWebhookAccepted(result, sender, contacts, rate, began, Duration.ofMinutes(3));
                long firstAccepted =
                        sender.firstAcceptedAfter(timings.restartedAt()).orElse(Long.MAX_VALUE);
                result.figure(
                        "launcher SIGKILLed; a new one started %s later; from its start: first webhook accepted"
                                + " after %s, every service ready after %s",
                        ScenarioResult.seconds(Duration.ofNanos(timings.restartedAt() - timings.killedAt())),
                        firstAccepted == Long.MAX_VALUE
                                ? "never"
                                : ScenarioResult.seconds(Duration.ofNanos(firstAccepted - timings.restartedAt())),
                        ScenarioResult.seconds(Duration.ofNanos(timings.readyAt() - timings.restartedAt())));
                result.check(
                        "the outage was seen by the sender (503 or no answer)",
                        sender.unavailableAnswers() + sender.failedRequests() > 0,
                        sender.unavailableAnswers() + " answered 503, " + sender.failedRequests()
                                + " without an answer");
                TopicTally tally = new TopicTally(launcher.bootstrapServers(), launcher.registryUrl());
                FlowChecks.streams(result, sender, tally, run, launcher.phoneNumberId());
            }
        }
        return result;
    }

    private static void awaitReady(ChildLauncher launcher) {
        long deadline = System.nanoTime() + READY.toNanos();
        while (!launcher.ready()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the launcher's services were not ready within " + READY);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }
}
