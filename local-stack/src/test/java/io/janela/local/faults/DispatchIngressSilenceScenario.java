package io.janela.local.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.TemplateParameter;
import io.janela.avro.TemplatePayload;
import io.janela.local.LocalHttp;
import io.janela.local.StackHandle;
import io.janela.local.demo.PrometheusText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
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
        String prefix = "fault-" + run + "-";
        List<String> requestIds = new ArrayList<>();
        LocalHttp.putJson(
                stack.sandboxUrl() + "/sandbox/latency",
                "{\"fixedMillis\":" + SANDBOX_LATENCY.toMillis() + ",\"jitterMillis\":500}");
        try {
            long began = System.nanoTime();
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            Duration warmUp = Duration.ofSeconds(20);
            long killedAt = 0;
            long ingressBackAt = 0;
            for (int i = 0; ; i++) {
                long now = System.nanoTime();
                if (killedAt == 0 && now - began >= warmUp.toNanos()) {
                    killedAt = killDispatchAndIngress();
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
                String requestId = prefix + i;
                requestIds.add(requestId);
                stack.outbound().publishAsync(request(requestId, i), (metadata, failure) -> {});
            }
            result.figure(
                    "%d template requests published at %d/s over %s; sandbox answering each send %s after taking it;"
                            + " dispatch and ingress SIGKILLed together %s in; ingress held down by the launcher, answering"
                            + " again %s after the kill",
                    requestIds.size(),
                    rate,
                    ScenarioResult.seconds(Duration.ofNanos(System.nanoTime() - began)),
                    ScenarioResult.seconds(SANDBOX_LATENCY),
                    ScenarioResult.seconds(warmUp),
                    ingressBackAt == 0 ? "never" : ScenarioResult.seconds(Duration.ofNanos(ingressBackAt - killedAt)));

            TopicTally tally = new TopicTally(stack.bootstrapServers(), stack.registryUrl());
            long deadline = System.nanoTime() + SETTLE.toNanos();
            Map<String, List<String>> outcomes = tally.dispatchOutcomes(id -> id.startsWith(prefix));
            while (outcomes.size() < requestIds.size() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
                outcomes = tally.dispatchOutcomes(id -> id.startsWith(prefix));
            }
            long settledAt = System.nanoTime();
            result.figure(
                    "every request had its outcome %s after ingress answered again (%s after the last request)",
                    ingressBackAt == 0 ? "n/a" : ScenarioResult.seconds(Duration.ofNanos(settledAt - ingressBackAt)),
                    ScenarioResult.seconds(Duration.ofNanos(settledAt - next)));
            Map<String, List<String>> finalOutcomes = outcomes;
            long missing = requestIds.stream()
                    .filter(id -> !finalOutcomes.containsKey(id))
                    .count();
            long doubled =
                    outcomes.values().stream().filter(list -> list.size() > 1).count();
            Map<String, Long> byKind = new TreeMap<>();
            outcomes.values().forEach(list -> list.forEach(kind -> byKind.merge(kind, 1L, Long::sum)));
            result.figure("outcomes: %s", byKind);
            result.check(
                    "every request has an OUTCOME (read_committed)",
                    missing == 0,
                    missing + " of " + requestIds.size() + " without one within " + SETTLE.toMinutes() + " min");
            result.check("no request has two OUTCOMEs (read_committed)", doubled == 0, doubled + " requests");

            Map<String, Integer> accepted = acceptedByMeta(prefix);
            long sentTwice =
                    accepted.values().stream().filter(count -> count > 1).count();
            result.check(
                    "Meta (the sandbox) accepted no request twice: no double send",
                    sentTwice == 0,
                    sentTwice + " requests sent twice; " + accepted.size() + " accepted");
            long sentWithoutMeta = outcomes.entrySet().stream()
                    .filter(e -> e.getValue().getFirst().startsWith("SENT") && !accepted.containsKey(e.getKey()))
                    .count();
            result.check(
                    "every request answered SENT was accepted by Meta",
                    sentWithoutMeta == 0,
                    sentWithoutMeta + " SENT without a send Meta took");
            result.figure("dispatch's in-doubt settlements after its restart: %s", inDoubtSettlements());
        } finally {
            LocalHttp.putJson(stack.sandboxUrl() + "/sandbox/latency", "{\"fixedMillis\":0,\"jitterMillis\":0}");
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

    /** A utility template to a phone number of its own (allowed outside the window). */
    private OutboundRequest request(String requestId, int index) {
        String order = "F" + index;
        return OutboundRequest.newBuilder()
                .setRequestId(requestId)
                .setPhoneNumberId(stack.phoneNumberId())
                .setRecipient(new Recipient(String.format(Locale.ROOT, "+55218%08d", index), null))
                .setCreatedAt(Instant.now())
                .setOrigin(io.janela.avro.Origin.SYSTEM)
                .setPayload(TemplatePayload.newBuilder()
                        .setName("order_confirmation")
                        .setLanguage("en_US")
                        .setBodyParameters(List.of(text("Fault"), text(order)))
                        .setHeaderParameters(List.of(text(order)))
                        .build())
                .build();
    }

    private static TemplateParameter text(String value) {
        return TemplateParameter.newBuilder().setText(value).build();
    }

    /** Sends the sandbox accepted, per request id (dispatch puts it in {@code biz_opaque_callback_data}). */
    private Map<String, Integer> acceptedByMeta(String prefix) {
        String body = LocalHttp.bodyOrNull(stack.sandboxUrl() + "/sandbox/requests", Duration.ofSeconds(30));
        if (body == null) {
            throw new IllegalStateException("the sandbox did not list its requests");
        }
        Map<String, Integer> accepted = new HashMap<>();
        try {
            for (JsonNode request : JSON.readTree(body)) {
                String id = request.path("callbackData").asText("");
                if (id.startsWith(prefix)
                        && "ACCEPTED".equals(request.path("outcome").asText())) {
                    accepted.merge(id, 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return accepted;
    }

    private String inDoubtSettlements() {
        String page = LocalHttp.bodyOrNull(
                stack.services().get("dispatch-service").baseUrl() + "/actuator/prometheus", Duration.ofSeconds(5));
        if (page == null) {
            return "n/a (no scrape)";
        }
        PrometheusText text = PrometheusText.parse(page);
        Map<String, Long> settled = new TreeMap<>();
        for (String settlement : List.of("confirmed", "resent", "send_in_doubt")) {
            settled.put(
                    settlement,
                    Math.round(text.sum(
                            "janela_dispatch_sender_in_doubt_settled_total",
                            sample -> settlement.equals(sample.label("settlement")))));
        }
        return settled.toString();
    }
}
