package io.janela.local.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.janela.local.LocalHttp;
import io.janela.local.StackHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 16's "crash + silent webhooks", on the local stack: template sends flow through dispatch to the sandbox, which
 * takes each send and answers it {@link #SANDBOX_LATENCY} later (so that calls are caught mid-call: Meta has them,
 * dispatch does not know). dispatch-service and ingress-service are SIGKILLed together; the launcher restarts dispatch
 * at once but keeps ingress down for {@link #SILENCE}, so no status webhook reaches Kafka meanwhile (the sandbox retries
 * them as Meta does, at most 10 s apart). Sends go on during the silence and for {@link #AFTER} once ingress answers
 * again, so that the webhooks of later sends flow (the evidence dispatch waits for before it resends anything).
 *
 * <p>Invariants ({@code read_committed}, and the sandbox's request log as Meta's side): every request has exactly one
 * OUTCOME; Meta accepted no request twice (no double send); every request answered SENT was accepted by Meta. Figures:
 * outcomes by kind, dispatch's in-doubt settlements (its counter, after the restart), and how long the last outcome
 * took once ingress was back.
 *
 * @param rate template requests per second (dispatch's sends)
 */
record DispatchIngressSilenceScenario(StackHandle stack, int rate) {

    static final String NAME = "dispatch + ingress SIGKILL together, status webhooks silent for 3 minutes";
    static final Duration SILENCE = Duration.ofMinutes(3);
    static final Duration AFTER = Duration.ofSeconds(60);
    static final Duration SANDBOX_LATENCY = Duration.ofSeconds(2);
    /** dispatch's in-doubt-max-wait is 10 minutes: a send with no evidence either way is answered by then. */
    private static final Duration SETTLE = Duration.ofMinutes(12);

    private static final ObjectMapper JSON = new ObjectMapper();

    ScenarioResult run(String command) {
        ScenarioResult result = new ScenarioResult(NAME, command);
        String run = Long.toString(System.currentTimeMillis() % 1_000_000) + "d";
        TemplateSends sends = new TemplateSends(stack, run);
        sends.sandboxLatency(SANDBOX_LATENCY, Duration.ofMillis(500));
        try {
            long began = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            Duration warmUp = Duration.ofSeconds(20);
            long killedAt = 0;
            long ingressBackAt = 0;
            Instant killedWall = null;
            while (true) {
                long now = System.nanoTime();
                if (killedAt == 0 && now - began >= warmUp.toNanos()) {
                    killedAt = killDispatchAndIngress();
                    killedWall = Instant.now();
                }
                if (killedAt != 0 && ingressBackAt == 0 && now - killedAt >= SILENCE.toNanos() && ingressAnswers()) {
                    ingressBackAt = System.nanoTime();
                }
                if (ingressBackAt != 0 && now - ingressBackAt >= AFTER.toNanos()) {
                    break;
                }
                if (now - began > SILENCE.plus(Duration.ofMinutes(6)).toNanos()) {
                    result.check("ingress answered again after the silence", false, "not within 6 minutes");
                    break;
                }
                if (now < next) {
                    LockSupport.parkNanos(next - now);
                }
                next += interval;
                sends.publishNext();
            }
            result.figure(
                    "%d template requests published at %d/s over %s; sandbox answering each send %s after taking it;"
                            + " dispatch and ingress SIGKILLed together %s in; ingress held down by the launcher, answering"
                            + " again %s after the kill",
                    sends.published(),
                    rate,
                    ScenarioResult.seconds(Duration.ofNanos(System.nanoTime() - began)),
                    ScenarioResult.seconds(SANDBOX_LATENCY),
                    ScenarioResult.seconds(warmUp),
                    ingressBackAt == 0 ? "never" : ScenarioResult.seconds(Duration.ofNanos(ingressBackAt - killedAt)));

            Map<String, List<String>> outcomes = sends.awaitOutcomes(SETTLE);
            long settledAt = System.nanoTime();
            result.figure(
                    "every request had its outcome %s after ingress answered again (%s after the last request)",
                    ingressBackAt == 0 ? "n/a" : ScenarioResult.seconds(Duration.ofNanos(settledAt - ingressBackAt)),
                    ScenarioResult.seconds(Duration.ofNanos(settledAt - next)));
            sends.check(result, outcomes, SETTLE);
            result.figure("dispatch's in-doubt settlements after its restart: %s", sends.inDoubtSettlements());
            TemplateSends.Settlements logged = sends.settlementsLogged();
            result.figure(
                    "in-doubt settlements logged with this run's request ids: %d, the last %s after the kill",
                    logged.count(),
                    logged.last() == null || killedWall == null
                            ? "n/a"
                            : ScenarioResult.seconds(Duration.between(killedWall, logged.last())));
        } finally {
            sends.sandboxLatency(Duration.ZERO, Duration.ZERO);
        }
        return result;
    }

    /** SIGKILL to both at once; ingress's restart held for the silence. Returns the moment (nanoTime). */
    private long killDispatchAndIngress() {
        stack.holdRestarts("ingress-service", SILENCE);
        ProcessHandle dispatch =
                ProcessHandle.of(stack.services().get("dispatch-service").pid()).orElseThrow();
        ProcessHandle ingress =
                ProcessHandle.of(stack.services().get("ingress-service").pid()).orElseThrow();
        long at = System.nanoTime();
        dispatch.destroyForcibly();
        ingress.destroyForcibly();
        return at;
    }

    private boolean ingressAnswers() {
        return LocalHttp.answers200(stack.services().get("ingress-service").baseUrl() + "/actuator/health/readiness");
    }
}
