package io.janela.dispatch.send;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.SendKind;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.graph.GraphError;
import io.janela.dispatch.graph.SendResponse;
import io.janela.dispatch.outcome.Results;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's decisions, without I/O: which command goes next, and what an answer means. Single-threaded (the send
 * loop owns it); every method takes the time it runs at, so tests drive it with any clock.
 *
 * <ul>
 *   <li>per contact, one command at a time and in the order read: the next waits until the previous has a result;
 *   <li>per contact, the pair pace ({@link PairPacer}); a 131056 wait holds only that contact;
 *   <li>different contacts go concurrently, up to {@code maxInFlight} calls, as each number's pacer has room;
 *   <li>answers by {@link ErrorClassifier}: retry with backoff, wait, the fallback template on 131047, in doubt when
 *       unanswered, or a final result.
 * </ul>
 */
final class SendScheduler {

    private static final Logger log = LoggerFactory.getLogger(SendScheduler.class);

    /** A call to make: journal it, then hand it to the pacer. */
    record Start(Pending pending, int attempt) {}

    /** A final result for a command. */
    record Finish(Pending pending, DispatchResult result) {}

    private final DispatchProperties.Sender settings;
    private final PairPacer pairPacer;
    private final RetryPolicy retryPolicy;
    private final Map<String, ArrayDeque<Pending>> queues = new HashMap<>();
    private final LinkedHashSet<String> candidates = new LinkedHashSet<>();
    private final Map<String, PairPacer.Pace> paces = new HashMap<>();
    private final Map<String, Pending> inDoubt = new HashMap<>();
    private int inFlight;
    private int held;
    private Instant nextEligibleAt = Instant.MIN;

    SendScheduler(DispatchProperties.Sender settings, RetryPolicy retryPolicy) {
        this.settings = settings;
        this.pairPacer = new PairPacer(settings.pairInterval(), settings.pairBurst(), settings.pairBurstWindow());
        this.retryPolicy = retryPolicy;
    }

    /** A command read from its partition, in offset order. */
    void add(Pending pending) {
        ArrayDeque<Pending> queue = queues.computeIfAbsent(pending.contactKey, key -> new ArrayDeque<>());
        queue.addLast(pending);
        held++;
        if (queue.size() == 1) {
            candidates.add(pending.contactKey);
            nextEligibleAt = Instant.MIN;
        }
    }

    /** A command the journal shows attempted without a result: Meta may have accepted it. */
    void addInDoubt(Pending pending, int attempts, Instant attemptedAt) {
        pending.attempts = attempts;
        pending.lastAttemptAt = attemptedAt;
        add(pending);
        markInDoubt(pending);
    }

    /**
     * The calls to make now, in fair order across contacts: a contact's head command is due when its retry pause and
     * pair pace allow; {@code room} says whether a number's pacer takes another call. Commands whose request expired
     * while waiting end EXPIRED, into {@code finished}.
     */
    List<Start> due(Instant now, Predicate<String> room, List<Finish> finished) {
        List<Start> starts = new ArrayList<>();
        Instant next = Instant.MAX;
        Iterator<String> contacts = candidates.iterator();
        List<String> emptied = new ArrayList<>();
        while (contacts.hasNext() && inFlight < settings.maxInFlight()) {
            String contact = contacts.next();
            ArrayDeque<Pending> queue = queues.get(contact);
            Pending head = queue == null ? null : queue.peekFirst();
            while (head != null && head.state == Pending.State.QUEUED && expired(head, now)) {
                finished.add(finish(
                        head,
                        Results.failed(
                                head.command,
                                DispatchOutcome.EXPIRED,
                                DispatchReason.REQUEST_EXPIRED,
                                null,
                                "the request expired at "
                                        + head.command.getRequest().getExpiresAt() + " before it could go",
                                head.fallbackActive,
                                head.attempts,
                                now)));
                head = queue.peekFirst();
            }
            if (head == null) {
                emptied.add(contact);
                continue;
            }
            if (head.state != Pending.State.QUEUED) {
                continue;
            }
            PairPacer.Pace pace = paces.getOrDefault(contact, PairPacer.Pace.IDLE);
            Instant eligible = later(head.notBefore, pairPacer.earliest(pace, now));
            if (eligible.isAfter(now)) {
                next = next.isBefore(eligible) ? next : eligible;
                continue;
            }
            if (!room.test(head.phoneNumberId())) {
                next = now; // the pacer frees room as it makes calls: look again soon
                continue;
            }
            paces.put(contact, pairPacer.sent(pace, now));
            head.state = Pending.State.IN_FLIGHT;
            head.attempts++;
            head.lastAttemptAt = now;
            inFlight++;
            contacts.remove();
            starts.add(new Start(head, head.attempts));
        }
        emptied.forEach(candidates::remove);
        nextEligibleAt = inFlight >= settings.maxInFlight() ? Instant.MAX : next;
        return starts;
    }

    /**
     * The earliest time a queued command can become due without anything else happening (an answer, a new command,
     * a resolution); {@link Instant#MAX} when none can.
     */
    Instant nextEligibleAt() {
        return nextEligibleAt;
    }

    /** Whether calls of these partitions are being made (answers awaited). */
    boolean calling(java.util.Set<TopicPartition> partitions) {
        for (ArrayDeque<Pending> queue : queues.values()) {
            Pending head = queue.peekFirst();
            if (head != null && head.state == Pending.State.IN_FLIGHT && partitions.contains(head.partition)) {
                return true;
            }
        }
        return false;
    }

    /** A start that was journaled but not called (the sender is stopping): it goes back to its queue's head. */
    void unstarted(Pending pending) {
        pending.state = Pending.State.QUEUED;
        pending.attempts--;
        inFlight--;
        candidates.add(pending.contactKey);
        nextEligibleAt = Instant.MIN;
    }

    /**
     * Meta's answer to a call. Returns the command's result when it is final; otherwise the command waits in its queue
     * (a retry, a pair-rate wait, the fallback template) or in doubt.
     */
    Finish answered(Pending pending, SendResponse response, Instant now) {
        inFlight--;
        pending.state = Pending.State.QUEUED;
        if (response instanceof SendResponse.Accepted accepted) {
            return finish(
                    pending,
                    Results.sent(pending.command, pending.fallbackActive, accepted.wamid(), pending.attempts, now));
        }
        ErrorClass errorClass = ErrorClassifier.classify(response);
        GraphError error = response instanceof SendResponse.Refused refused ? refused.error() : null;
        Integer code = error == null ? null : error.code();
        String detail = describe(response);
        return switch (errorClass) {
            case REENGAGEMENT -> {
                if (fallbackAvailable(pending)) {
                    pending.fallbackActive = true;
                    pending.refusedWith = code;
                    pending.refusedAt = now;
                    yield requeue(pending, now);
                }
                yield finish(
                        pending,
                        Results.failed(
                                pending.command,
                                DispatchOutcome.FAILED,
                                DispatchReason.WINDOW_CLOSED,
                                code,
                                "the customer service window is closed (Meta: " + detail + ")",
                                pending.fallbackActive,
                                pending.attempts,
                                now));
            }
            case PAIR_LIMIT -> {
                pending.pairLimitWaits++;
                if (pending.pairLimitWaits > settings.pairLimitMaxWaits()) {
                    yield exhausted(pending, code, detail, now);
                }
                Instant until = now.plus(RetryPolicy.pairLimitWait(pending.pairLimitWaits));
                paces.put(
                        pending.contactKey,
                        pairPacer.wait(paces.getOrDefault(pending.contactKey, PairPacer.Pace.IDLE), until));
                pending.notBefore = until;
                yield requeue(pending, now);
            }
            case RETRY, THROTTLED, DOWNTIME -> {
                pending.retries++;
                if (pending.attempts >= settings.maxAttempts()) {
                    yield exhausted(pending, code, detail, now);
                }
                pending.notBefore = now.plus(retryPolicy.backoff(pending.retries, errorClass));
                yield requeue(pending, now);
            }
            case IN_DOUBT -> {
                markInDoubt(pending);
                yield null;
            }
            case TERMINAL ->
                finish(
                        pending,
                        Results.failed(
                                pending.command,
                                DispatchOutcome.FAILED,
                                DispatchReason.META_ERROR,
                                code,
                                detail,
                                pending.fallbackActive,
                                pending.attempts,
                                now));
        };
    }

    /** A status webhook echoed the request id of a command in doubt: Meta accepted it. */
    Finish accepted(String journalKey, String wamid, Instant statusAt) {
        Pending pending = inDoubt.remove(journalKey);
        if (pending == null) {
            return null;
        }
        InDoubtLog.settled(
                log.atInfo(),
                pending,
                InDoubtLog.CONFIRMED,
                "a status webhook proved Meta accepted it before its answer was lost; not sent again");
        return finish(
                pending, Results.sent(pending.command, pending.fallbackActive, wamid, pending.attempts, statusAt));
    }

    /**
     * What {@link #settleInDoubt} decided: final results, the commands queued to be sent again, and how many of the
     * results are RETRIES_EXHAUSTED (proved lost with no attempt left), for the settlement counter.
     */
    record Settled(List<Finish> finished, List<Pending> resent, int retriesExhausted) {
        Settled(List<Finish> finished, List<Pending> resent) {
            this(finished, resent, 0);
        }
    }

    /** Whether the statuses read prove that a send of a number attempted at a time would have had its own by now. */
    @FunctionalInterface
    interface Evidence {
        boolean provesLost(String phoneNumberId, Instant attemptedAt);
    }

    /**
     * Settles the commands in doubt that no status webhook confirmed. {@code searchedUntil} is the time up to which the
     * status search had read everything; {@code evidence} tells whether the statuses read prove that a send's own
     * status would have come ({@link InDoubtResolver#provesLost}).
     *
     * <ul>
     *   <li>FAIL: FAILED SEND_IN_DOUBT once the search covered {@code inDoubtTimeout} past the attempt;
     *   <li>RESEND: sent again only on evidence that its webhook would have come: the search covered
     *       {@code inDoubtTimeout} past the attempt and statuses of the number from soon after the attempt came on
     *       time without it, none of its time late. Silence is no evidence: the trouble that left a send in doubt (a
     *       crash, a broker or ingress outage) is the trouble that delays webhooks;
     *   <li>either way, FAILED SEND_IN_DOUBT after {@code inDoubtMaxWait} without evidence.
     * </ul>
     */
    Settled settleInDoubt(Instant now, Instant searchedUntil, Evidence evidence) {
        List<Finish> finished = new ArrayList<>();
        List<Pending> resent = new ArrayList<>();
        int retriesExhausted = 0;
        Duration timeout = settings.inDoubtTimeout();
        for (Pending pending : List.copyOf(inDoubt.values())) {
            Instant deadline = pending.inDoubtSince.plus(timeout);
            boolean searched = !now.isBefore(deadline) && !searchedUntil.isBefore(deadline);
            boolean lost = searched && evidence.provesLost(pending.phoneNumberId(), pending.inDoubtSince);
            boolean capped = !now.isBefore(pending.inDoubtSince.plus(settings.inDoubtMaxWait()));
            if (settings.inDoubtResolution() == DispatchProperties.InDoubtResolution.FAIL && searched || capped) {
                inDoubt.remove(pending.journalKey);
                InDoubtLog.settled(
                        log.atWarn(),
                        pending,
                        InDoubtLog.SEND_IN_DOUBT,
                        "FAILED SEND_IN_DOUBT, no status webhook confirmed the attempt ("
                                + (capped
                                        ? "no evidence within " + settings.inDoubtMaxWait()
                                        : "not sent again, as configured")
                                + ")");
                finished.add(finish(
                        pending,
                        Results.failed(
                                pending.command,
                                DispatchOutcome.FAILED,
                                DispatchReason.SEND_IN_DOUBT,
                                null,
                                capped
                                        ? "no status webhook confirmed attempt " + pending.attempts + " within "
                                                + settings.inDoubtMaxWait()
                                                + ", and no later status of its business number proved it lost;"
                                                + " not sent again: Meta may have accepted it"
                                        : "no status webhook confirmed attempt " + pending.attempts + " within "
                                                + timeout + "; not sent again, as configured",
                                pending.fallbackActive,
                                pending.attempts,
                                now)));
            } else if (lost) {
                inDoubt.remove(pending.journalKey);
                if (pending.attempts >= settings.maxAttempts()) {
                    InDoubtLog.settled(
                            log.atWarn(),
                            pending,
                            InDoubtLog.RETRIES_EXHAUSTED,
                            "FAILED RETRIES_EXHAUSTED, no status webhook for the last attempt while statuses of its"
                                    + " number's later sends came on time");
                    finished.add(exhausted(pending, null, "no answer and no status webhook for the last attempt", now));
                    retriesExhausted++;
                } else {
                    InDoubtLog.settled(
                            log.atWarn(),
                            pending,
                            InDoubtLog.RESENT,
                            "sent again, no status webhook for the attempt while statuses of its number's later sends"
                                    + " came on time");
                    resent.add(pending);
                    requeue(pending, now);
                }
            }
        }
        return new Settled(finished, resent, retriesExhausted);
    }

    /**
     * Forgets everything read from a partition that is no longer this instance's; returns what it held. The commands
     * are marked DONE here, so that an answer that still comes for one of them is ignored: its next owner decides.
     */
    List<Pending> drop(TopicPartition partition) {
        List<Pending> dropped = new ArrayList<>();
        for (Iterator<Map.Entry<String, ArrayDeque<Pending>>> entries =
                        queues.entrySet().iterator();
                entries.hasNext(); ) {
            Map.Entry<String, ArrayDeque<Pending>> entry = entries.next();
            if (!entry.getValue().isEmpty()
                    && entry.getValue().peekFirst().partition.equals(partition)) {
                for (Pending pending : entry.getValue()) {
                    if (pending.state == Pending.State.IN_FLIGHT) {
                        inFlight--;
                    }
                    inDoubt.remove(pending.journalKey);
                    pending.state = Pending.State.DONE;
                    held--;
                    dropped.add(pending);
                }
                candidates.remove(entry.getKey());
                entries.remove();
            }
        }
        return dropped;
    }

    /** Forgets pair paces that owe nothing: a contact quiet for a while needs no state. */
    void forgetIdlePaces(Instant now) {
        paces.entrySet()
                .removeIf(entry -> !queues.containsKey(entry.getKey()) && pairPacer.idle(entry.getValue(), now));
    }

    int held() {
        return held;
    }

    int inFlight() {
        return inFlight;
    }

    int inDoubt() {
        return inDoubt.size();
    }

    private boolean fallbackAvailable(Pending pending) {
        return !pending.fallbackActive
                && pending.command.getKind() == SendKind.PRIMARY
                && !pending.command.getPrimary().getFallbackTemplate()
                && pending.command.getFallback() != null;
    }

    private void markInDoubt(Pending pending) {
        pending.state = Pending.State.IN_DOUBT;
        pending.inDoubtSince = pending.lastAttemptAt;
        inDoubt.put(pending.journalKey, pending);
    }

    private Finish requeue(Pending pending, Instant now) {
        pending.state = Pending.State.QUEUED;
        candidates.add(pending.contactKey);
        nextEligibleAt = Instant.MIN; // look at the queues again on the next step
        return null;
    }

    private Finish exhausted(Pending pending, Integer code, String detail, Instant now) {
        return finish(
                pending,
                Results.failed(
                        pending.command,
                        DispatchOutcome.FAILED,
                        DispatchReason.RETRIES_EXHAUSTED,
                        code,
                        "gave up after " + pending.attempts + " attempts: " + detail,
                        pending.fallbackActive,
                        pending.attempts,
                        now));
    }

    private Finish finish(Pending pending, DispatchResult result) {
        pending.state = Pending.State.DONE;
        if (pending.refusedWith != null) {
            // Whatever became of the fallback, Meta closed the window when it refused the free-form message.
            result.setPrimaryRefusedWith(pending.refusedWith);
            result.setPrimaryRefusedAt(pending.refusedAt);
        }
        ArrayDeque<Pending> queue = queues.get(pending.contactKey);
        queue.remove(pending);
        held--;
        if (queue.isEmpty()) {
            queues.remove(pending.contactKey);
            candidates.remove(pending.contactKey);
        } else {
            candidates.add(pending.contactKey);
            nextEligibleAt = Instant.MIN;
        }
        return new Finish(pending, result);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static boolean expired(Pending pending, Instant now) {
        Instant expiresAt = pending.command.getRequest().getExpiresAt();
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    private static String describe(SendResponse response) {
        return switch (response) {
            case SendResponse.Refused refused
            when refused.error() != null -> refused.error().describe();
            case SendResponse.Refused refused -> "HTTP " + refused.httpStatus() + " without a Graph error";
            case SendResponse.Unanswered unanswered -> "no answer (" + unanswered.cause() + ")";
            case SendResponse.Accepted accepted -> "accepted";
        };
    }
}
