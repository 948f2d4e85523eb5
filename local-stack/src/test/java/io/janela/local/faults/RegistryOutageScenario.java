package io.janela.local.faults;

import io.janela.local.StackHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 17's registry outage during sends, on the local stack: template requests flow through dispatch to the
 * sandbox (answering each send {@link #SANDBOX_LATENCY} after taking it); the stack's schema registry then answers 503
 * to every call for {@link #OUTAGE}. The services' schema caches are warm, so sends may go on; {@link #KILL_AFTER} into
 * the outage dispatch is SIGKILLed mid-call, and the launcher restarts it with a cold cache while the registry is
 * still down: it can read no command until the registry answers again. Requests go on during the outage and for
 * {@link #AFTER} after it.
 *
 * <p>Invariants ({@code read_committed}, and the sandbox's request log as Meta's side): every request has exactly one
 * OUTCOME; Meta accepted no request twice; every request answered SENT was accepted by Meta. Figures: sends Meta took
 * before the outage, during it before and after the kill, and after it; the longest pause between two sends; from
 * the registry's return to the first send of a request published during the outage; the launcher's restarts of
 * dispatch; registry calls refused; dispatch's in-doubt settlements.
 *
 * @param rate template requests per second
 */
record RegistryOutageScenario(StackHandle stack, int rate) {

    static final String NAME = "schema registry answering 503 during sends, dispatch SIGKILLed inside the outage";
    static final Duration WARM_UP = Duration.ofSeconds(20);
    static final Duration OUTAGE = Duration.ofSeconds(90);
    static final Duration KILL_AFTER = Duration.ofSeconds(15);
    static final Duration AFTER = Duration.ofSeconds(45);
    static final Duration SANDBOX_LATENCY = Duration.ofSeconds(2);
    /** dispatch's in-doubt-max-wait is 10 minutes: a send with no evidence either way is answered by then. */
    private static final Duration SETTLE = Duration.ofMinutes(12);

    ScenarioResult run(String command) {
        ScenarioResult result = new ScenarioResult(NAME, command);
        String run = Long.toString(System.currentTimeMillis() % 1_000_000) + "r";
        TemplateSends sends = new TemplateSends(stack, run);
        sends.sandboxLatency(SANDBOX_LATENCY, Duration.ofMillis(500));
        long refusedBefore = stack.registryCallsRefused();
        int restartsBefore = stack.restarts("dispatch-service");
        Instant outageFrom = null;
        Instant killedAt = null;
        Instant outageTo = null;
        try {
            long began = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            long next = began;
            long total = WARM_UP.plus(OUTAGE).plus(AFTER).toNanos();
            while (true) {
                long now = System.nanoTime();
                if (now - began >= total) {
                    break;
                }
                if (outageFrom == null && now - began >= WARM_UP.toNanos()) {
                    stack.registryUnavailable(true);
                    outageFrom = Instant.now();
                }
                if (killedAt == null && now - began >= WARM_UP.plus(KILL_AFTER).toNanos()) {
                    ProcessHandle.of(stack.services().get("dispatch-service").pid())
                            .ifPresent(ProcessHandle::destroyForcibly);
                    killedAt = Instant.now();
                }
                if (outageTo == null && now - began >= WARM_UP.plus(OUTAGE).toNanos()) {
                    stack.registryUnavailable(false);
                    outageTo = Instant.now();
                }
                if (now < next) {
                    LockSupport.parkNanos(next - now);
                }
                next += interval;
                sends.publishNext();
            }
        } finally {
            stack.registryUnavailable(false);
        }
        if (outageTo == null) {
            outageTo = Instant.now();
        }
        try {
            result.figure(
                    "%d template requests published at %d/s over %s; sandbox answering each send %s after taking it;"
                            + " registry answering 503 from %s in for %s; dispatch SIGKILLed %s into the outage",
                    sends.published(),
                    rate,
                    ScenarioResult.seconds(WARM_UP.plus(OUTAGE).plus(AFTER)),
                    ScenarioResult.seconds(SANDBOX_LATENCY),
                    ScenarioResult.seconds(WARM_UP),
                    ScenarioResult.seconds(Duration.between(outageFrom, outageTo)),
                    ScenarioResult.seconds(KILL_AFTER));
            Map<String, List<String>> outcomes = sends.awaitOutcomes(SETTLE);
            Instant settledAt = Instant.now();
            result.figure(
                    "every request had its outcome %s after the registry answered again",
                    ScenarioResult.seconds(Duration.between(outageTo, settledAt)));
            Map<String, List<Instant>> accepted = sends.check(result, outcomes, SETTLE);
            figures(result, accepted, outageFrom, killedAt, outageTo);
            result.figure(
                    "registry calls answered 503: %d; dispatch restarted by the launcher %d times (exits while the"
                            + " registry was down included)",
                    stack.registryCallsRefused() - refusedBefore, stack.restarts("dispatch-service") - restartsBefore);
            result.figure(
                    "dispatch since its last start: in-doubt settlements %s; reads retried for the registry %d",
                    sends.inDoubtSettlements(),
                    sends.dispatchCounter("janela_dispatch_sender_registry_unavailable_total"));
            TemplateSends.Settlements logged = sends.settlementsLogged();
            result.figure(
                    "in-doubt settlements logged with this run's request ids: %d, the last %s after the registry"
                            + " answered again",
                    logged.count(),
                    logged.last() == null ? "n/a" : ScenarioResult.seconds(Duration.between(outageTo, logged.last())));
        } finally {
            sends.sandboxLatency(Duration.ZERO, Duration.ZERO);
        }
        return result;
    }

    /** When Meta took sends, against the outage: the pause and the resumption. */
    private static void figures(
            ScenarioResult result,
            Map<String, List<Instant>> accepted,
            Instant outageFrom,
            Instant killedAt,
            Instant outageTo) {
        TreeSet<Instant> times = new TreeSet<>();
        accepted.values().forEach(times::addAll);
        long before = times.headSet(outageFrom).size();
        long outageBeforeKill = times.subSet(outageFrom, killedAt).size();
        long outageAfterKill = times.subSet(killedAt, outageTo).size();
        long after = times.tailSet(outageTo).size();
        result.figure(
                "Meta took %d sends before the outage, %d during it before the kill, %d during it after the kill (calls"
                        + " already on their way included), %d after it",
                before, outageBeforeKill, outageAfterKill, after);
        Duration longestPause = Duration.ZERO;
        Instant pauseFrom = null;
        Instant previous = null;
        for (Instant time : times) {
            if (previous != null && Duration.between(previous, time).compareTo(longestPause) > 0) {
                longestPause = Duration.between(previous, time);
                pauseFrom = previous;
            }
            previous = time;
        }
        result.figure(
                "longest pause between two sends Meta took: %s, from %s after the kill",
                ScenarioResult.seconds(longestPause),
                pauseFrom == null || killedAt == null
                        ? "n/a"
                        : ScenarioResult.seconds(Duration.between(killedAt, pauseFrom)));
        Instant resumed = times.ceiling(outageTo);
        result.figure(
                "sends resumed %s after the registry answered again",
                resumed == null ? "never" : ScenarioResult.seconds(Duration.between(outageTo, resumed)));
    }
}
