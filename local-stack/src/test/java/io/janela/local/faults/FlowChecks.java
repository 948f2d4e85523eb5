package io.janela.local.faults;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * The checks every new-contact scenario makes once its faults are over: the webhooks' fate at the sender, then what
 * Kafka holds ({@code read_committed}): no acknowledged webhook lost, exactly one OPENED per new contact, and an OPENED
 * that a kill aborted written again once.
 */
final class FlowChecks {

    private FlowChecks() {}

    /** Waits up to {@code wait} for every webhook's 200, then reports what was offered and what became of it. */
    static void everyWebhookAccepted(
            ScenarioResult result, MetaLikeSender sender, int contacts, int rate, long began, Duration wait) {
        boolean allAccepted = sender.awaitAllAccepted(wait);
        result.figure(
                "at least %d new contacts offered at %d/s (more while the faults lasted) over %s; %s",
                contacts, rate, ScenarioResult.seconds(Duration.ofNanos(System.nanoTime() - began)), sender.summary());
        result.check(
                "every webhook accepted (after Meta-like retries)",
                allAccepted,
                sender.withoutOutcome() + " without a 200");
    }

    /**
     * Waits (up to two minutes) until every accepted contact of the run has a committed OPENED, then checks the stream
     * invariants; returns how many contacts had an OPENED in an aborted transaction.
     */
    static long streams(ScenarioResult result, MetaLikeSender sender, TopicTally tally, String run, String phone) {
        Set<String> expected = sender.accepted().stream()
                .map(MetaLikeSender.Webhook::contactKey)
                .collect(Collectors.toSet());
        String prefix = phone + ":BR.fault" + run + "x";
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Map<String, Integer> committed = tally.openedByContact("read_committed", key -> key.startsWith(prefix));
        while (committed.size() < expected.size() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            committed = tally.openedByContact("read_committed", key -> key.startsWith(prefix));
        }
        Set<String> ids = tally.inboundMessageIds(id -> id.startsWith("wamid.fault-" + run + "-"));
        long lost = sender.accepted().stream()
                .filter(webhook -> !ids.contains(webhook.messageId()))
                .count();
        result.check(
                "no acknowledged webhook lost (read_committed, whatsapp.inbound-messages)",
                lost == 0,
                lost + " of " + sender.acceptedCount() + " accepted missing");
        Map<String, Integer> opened = committed;
        long missing = expected.stream().filter(key -> !opened.containsKey(key)).count();
        long doubled = opened.values().stream().filter(count -> count > 1).count();
        result.check("every new contact has an OPENED (read_committed)", missing == 0, missing + " missing");
        result.check("no OPENED doubled (read_committed)", doubled == 0, doubled + " contacts with more than one");
        Map<String, Integer> uncommitted = tally.openedByContact("read_uncommitted", key -> key.startsWith(prefix));
        long aborted = uncommitted.entrySet().stream()
                .filter(e -> e.getValue() > opened.getOrDefault(e.getKey(), 0))
                .count();
        long abortedThenOne = uncommitted.entrySet().stream()
                .filter(e ->
                        e.getValue() > opened.getOrDefault(e.getKey(), 0) && opened.getOrDefault(e.getKey(), 0) == 1)
                .count();
        result.figure(
                "contacts with an OPENED in an aborted transaction (seen read_uncommitted only): %d; of them with"
                        + " exactly one committed OPENED: %d",
                aborted, abortedThenOne);
        result.check(
                "an OPENED aborted by a kill is written again, once",
                abortedThenOne == aborted,
                abortedThenOne + " of " + aborted);
        return aborted;
    }
}
