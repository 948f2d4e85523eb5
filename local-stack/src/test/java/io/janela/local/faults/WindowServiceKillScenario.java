package io.janela.local.faults;

import io.janela.contract.TopicNames;
import io.janela.local.LocalHttp;
import io.janela.local.StackHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Issue 14's crash proof, on the local stack: new contacts arrive by webhook while the window-service (a child JVM of
 * the launcher) is SIGKILLed {@code kills} times; the launcher restarts it on the same state directory. Invariants,
 * read {@code read_committed}: every accepted webhook is in whatsapp.inbound-messages, every new contact has exactly
 * one OPENED in whatsapp.window-events, and the state answers window queries again (for contacts from before each
 * kill), and no store of the restarted service was restored from scratch: its restores started from the stores'
 * committed offsets, but for partitions still empty when the stores last flushed (the restore listener's meters and
 * log lines on the new process; {@link SupervisedKill#checkNoRestoreFromScratch}). Before the first kill the service is
 * stopped cleanly and restarted once it has committed a transaction, so that its stores hold committed state on disk
 * that a restart from scratch would have to restore (see {@link SupervisedKill#stopCleanlyAndRestart}).
 * Figures: the time from the new process's start to readiness and to the first answered query, the changelog records
 * restored after each kill, and how many OPENED of aborted transactions a {@code read_uncommitted} reader saw
 * (contacts whose first OPENED was aborted by the kill and who still got exactly one committed OPENED: the aborted
 * write did not survive in the state).
 */
record WindowServiceKillScenario(StackHandle stack, int contacts, int rate, int kills) {

    static final String NAME = "window-service SIGKILL mid-flow";
    static final String SERVICE = "window-service";
    /** Its Kafka Streams application id. */
    static final String GROUP = "janela-window";

    ScenarioResult run(String command) {
        ScenarioResult result = new ScenarioResult(NAME, command);
        String run = Long.toString(System.currentTimeMillis() % 1_000_000) + "w";
        String phone = stack.phoneNumberId();
        List<CompletableFuture<SupervisedKill.Restart>> restarts = new ArrayList<>();
        long began = System.nanoTime();
        String prefix = phone + ":BR.fault" + run + "x";
        AtomicInteger triggered = new AtomicInteger();
        AtomicInteger uncommitted = new AtomicInteger();
        CompletableFuture<SupervisedKill.CleanRestart> cleanRestart = new CompletableFuture<>();
        try (MetaLikeSender sender = new MetaLikeSender(stack.webhookUrl(), stack::sign);
                KillOnUncommittedOutput trigger = new KillOnUncommittedOutput(
                        stack.bootstrapServers(),
                        TopicNames.defaults().windowEvents(),
                        key -> key.startsWith(prefix))) {
            // Kills spread over the middle of the flow, each once the previous restart answered.
            int every = contacts / (kills + 1);
            sender.send(
                    phone,
                    run,
                    contacts,
                    rate,
                    index -> {
                        if (restarts.size() < kills && index >= (restarts.size() + 1) * every) {
                            CompletableFuture<SupervisedKill.Restart> previous =
                                    restarts.isEmpty() ? CompletableFuture.completedFuture(null) : restarts.getLast();
                            if (previous.isDone()) {
                                List<MetaLikeSender.Webhook> before =
                                        sender.acceptedBefore(System.nanoTime() - 2_000_000_000L);
                                MetaLikeSender.Webhook probe = before.isEmpty() ? null : before.getLast();
                                BooleanSupplier answersProbe = () -> probe == null || answers(probe);
                                boolean first = restarts.isEmpty();
                                restarts.add(CompletableFuture.supplyAsync(() -> {
                                    if (first) {
                                        cleanRestart.complete(SupervisedKill.stopCleanlyAndRestart(
                                                stack, SERVICE, GROUP, answersProbe, uncommitted));
                                    }
                                    return SupervisedKill.killAndWatch(stack, SERVICE, answersProbe, pid -> {
                                        if (trigger.kill(pid, Duration.ofSeconds(10))) {
                                            triggered.incrementAndGet();
                                        }
                                    });
                                }));
                            }
                        }
                    },
                    () -> restarts.size() < kills || !restarts.getLast().isDone());
            restarts.forEach(CompletableFuture::join);
            FlowChecks.everyWebhookAccepted(result, sender, contacts, rate, began, Duration.ofMinutes(2));
            TopicTally tally = new TopicTally(stack.bootstrapServers(), stack.registryUrl());
            long aborted = FlowChecks.streams(result, sender, tally, run, phone);
            Set<String> expected = sender.accepted().stream()
                    .map(MetaLikeSender.Webhook::contactKey)
                    .collect(Collectors.toSet());
            result.check(
                    "a kill aborted a transaction holding an OPENED (so the check above is not vacuous)",
                    aborted > 0,
                    aborted + " contacts");
            SupervisedKill.CleanRestart clean = cleanRestart.getNow(null);
            if (clean != null) {
                result.figure(
                        "clean stop (SIGTERM) and restart before the kills: start -> ready %s; %s",
                        ScenarioResult.seconds(clean.restart().startToReady()),
                        clean.restart().restores());
            }
            SupervisedKill.checkNoRestoreFromScratch(result, restarts, clean);
            int kill = 0;
            for (CompletableFuture<SupervisedKill.Restart> future : restarts) {
                SupervisedKill.Restart restart = future.join();
                kill++;
                result.figure(
                        "kill %d: restarted after %s (back-off); start -> ready %s, start -> first window query"
                                + " answered %s; restored %s; corrupted-state log lines %d",
                        kill,
                        ScenarioResult.seconds(restart.backOff()),
                        ScenarioResult.seconds(restart.startToReady()),
                        ScenarioResult.seconds(restart.startToAnswer()),
                        restart.restoredByStore().isEmpty() ? "nothing" : restart.restoredByStore() + " records",
                        restart.corruptedTasks());
            }
            result.check("the service was killed " + kills + " times", restarts.size() == kills, restarts.size() + "");
            result.figure(
                    "%d of the kills were sent the moment an OPENED appeared uncommitted in the log (the others after"
                            + " 10 s without one)",
                    triggered.get());
            result.figure(
                    "the clean stop came %s the service had committed a transaction",
                    uncommitted.get() == 0 ? "after" : "BEFORE (2 minutes waited)");
            long changelog = tally.endOffsets("janela-window-window-contacts-changelog");
            result.figure("window-contacts changelog now holds %d offsets (markers included)", changelog);
            long queried = expected.stream()
                    .limit(50)
                    .filter(key -> answers(key.substring(key.indexOf(':') + 1)))
                    .count();
            result.check(
                    "window queries answer after the restarts",
                    queried == Math.min(50, expected.size()),
                    queried + " of " + Math.min(50, expected.size()) + " sampled contacts answered 200");
        }
        return result;
    }

    private boolean answers(MetaLikeSender.Webhook webhook) {
        return answers(webhook.userId());
    }

    private boolean answers(String userId) {
        return LocalHttp.answers200(
                stack.services().get(SERVICE).baseUrl() + "/windows/" + stack.phoneNumberId() + "/" + userId);
    }
}
