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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * What the dispatch scenarios share: template requests of one run (ids {@code fault-<run>-<n>}, each to a phone
 * number of its own), the sends Meta (the sandbox's request log) accepted for them, and the checks of issue 16 on
 * both: exactly one OUTCOME per request ({@code read_committed}), no request accepted by Meta twice, every SENT
 * accepted by Meta.
 */
final class TemplateSends {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StackHandle stack;
    private final String prefix;
    private final List<String> requestIds = new ArrayList<>();

    TemplateSends(StackHandle stack, String run) {
        this.stack = stack;
        this.prefix = "fault-" + run + "-";
    }

    /** Publishes the next request (asynchronously; the publisher retries until Kafka has it). */
    void publishNext() {
        int index = requestIds.size();
        String requestId = prefix + index;
        requestIds.add(requestId);
        stack.outbound().publishAsync(request(requestId, index), (metadata, failure) -> {});
    }

    int published() {
        return requestIds.size();
    }

    /** Outcomes per request of this run, waiting up to {@code settle} until every request has one. */
    Map<String, List<String>> awaitOutcomes(Duration settle) {
        TopicTally tally = new TopicTally(stack.bootstrapServers(), stack.registryUrl());
        long deadline = System.nanoTime() + settle.toNanos();
        Map<String, List<String>> outcomes = tally.dispatchOutcomes(id -> id.startsWith(prefix));
        while (outcomes.size() < requestIds.size() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5));
            outcomes = tally.dispatchOutcomes(id -> id.startsWith(prefix));
        }
        return outcomes;
    }

    /** The invariants on {@code outcomes} and on what Meta accepted; returns Meta's acceptances per request. */
    Map<String, List<Instant>> check(ScenarioResult result, Map<String, List<String>> outcomes, Duration settle) {
        long missing =
                requestIds.stream().filter(id -> !outcomes.containsKey(id)).count();
        long doubled =
                outcomes.values().stream().filter(list -> list.size() > 1).count();
        Map<String, Long> byKind = new TreeMap<>();
        outcomes.values().forEach(list -> list.forEach(kind -> byKind.merge(kind, 1L, Long::sum)));
        result.figure("outcomes: %s", byKind);
        result.check(
                "every request has an OUTCOME (read_committed)",
                missing == 0,
                missing + " of " + requestIds.size() + " without one within " + settle.toMinutes() + " min");
        result.check("no request has two OUTCOMEs (read_committed)", doubled == 0, doubled + " requests");

        Map<String, List<Instant>> accepted = acceptedByMeta();
        List<String> sentTwice = accepted.entrySet().stream()
                .filter(e -> e.getValue().size() > 1)
                .map(Map.Entry::getKey)
                .toList();
        result.check(
                "Meta (the sandbox) accepted no request twice: no double send",
                sentTwice.isEmpty(),
                sentTwice.size() + " requests sent twice" + (sentTwice.isEmpty() ? "" : " " + first(sentTwice, 10))
                        + "; " + accepted.size() + " accepted");
        long sentWithoutMeta = outcomes.entrySet().stream()
                .filter(e -> e.getValue().getFirst().startsWith("SENT") && !accepted.containsKey(e.getKey()))
                .count();
        result.check(
                "every request answered SENT was accepted by Meta",
                sentWithoutMeta == 0,
                sentWithoutMeta + " SENT without a send Meta took");
        return accepted;
    }

    private static String first(Collection<String> ids, int count) {
        return ids.stream().limit(count).toList().toString();
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

    /**
     * Sends the sandbox accepted for this run, per request id (dispatch puts it in {@code biz_opaque_callback_data}),
     * with the time the sandbox received each.
     */
    Map<String, List<Instant>> acceptedByMeta() {
        String body = LocalHttp.bodyOrNull(stack.sandboxUrl() + "/sandbox/requests", Duration.ofSeconds(30));
        if (body == null) {
            throw new IllegalStateException("the sandbox did not list its requests");
        }
        Map<String, List<Instant>> accepted = new HashMap<>();
        try {
            for (JsonNode request : JSON.readTree(body)) {
                String id = request.path("callbackData").asText("");
                if (id.startsWith(prefix)
                        && "ACCEPTED".equals(request.path("outcome").asText())) {
                    accepted.computeIfAbsent(id, key -> new ArrayList<>())
                            .add(Instant.parse(request.path("receivedAt").asText()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return accepted;
    }

    /** dispatch's in-doubt settlements since its last start (its Prometheus counter), by settlement. */
    String inDoubtSettlements() {
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

    /**
     * dispatch's in-doubt settlements of this run's requests as its log tells them (one {@code InDoubtLog} line per
     * settlement, naming the request id): how many, and when the last one was logged (null without one).
     */
    Settlements settlementsLogged() {
        String log;
        try {
            log = Files.readString(stack.logFile("dispatch-service"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Settlements(-1, null);
        }
        int count = 0;
        Instant last = null;
        for (String line : log.lines().toList()) {
            // InDoubtLog's line: "Request <id> (<kind>) in doubt since attempt <n> at <time>: <settlement>"
            if (line.contains("Request " + prefix) && line.contains(" in doubt since attempt ") && line.length() > 24) {
                count++;
                try {
                    last = Instant.parse(line.substring(0, line.indexOf(' ')));
                } catch (RuntimeException e) {
                    // a line without the timestamp in front: counted, not timed
                }
            }
        }
        return new Settlements(count, last);
    }

    record Settlements(int count, Instant last) {}

    /** A counter of dispatch's Prometheus page summed over its samples, or -1 without a scrape. */
    long dispatchCounter(String name) {
        String page = LocalHttp.bodyOrNull(
                stack.services().get("dispatch-service").baseUrl() + "/actuator/prometheus", Duration.ofSeconds(5));
        return page == null ? -1 : Math.round(PrometheusText.parse(page).sum(name, sample -> true));
    }

    /** Puts the sandbox's answer latency (each send taken at once, answered {@code latency} later, plus jitter). */
    void sandboxLatency(Duration latency, Duration jitter) {
        LocalHttp.putJson(
                stack.sandboxUrl() + "/sandbox/latency",
                "{\"fixedMillis\":" + latency.toMillis() + ",\"jitterMillis\":" + jitter.toMillis() + "}");
    }
}
