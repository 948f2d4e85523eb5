package io.janela.local.faults;

import io.janela.local.LocalHttp;
import io.janela.local.StackHandle;
import io.janela.local.demo.PrometheusText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;

/**
 * Ingress overloaded until it answers 503: Kafka turns slow for ingress's producer (a client quota on its client id,
 * {@code producer_byte_rate} at half the rate it was writing, so that the broker throttles it as an overloaded broker
 * delays a client: a produce request is appended, then the client is held back for seconds), while new-contact
 * webhooks keep coming. Requests whose records are not acknowledged within ingress's publish timeout (5 s) get 503; the
 * Meta-like sender retries each. The quota is lifted once {@link #ENOUGH_503} 503s were answered (or after
 * {@link #THROTTLE_AT_MOST}). A record appended whose acknowledgement came too late is written again by the retry:
 * that is the redelivery consumers drop by message id.
 *
 * <p>Invariants ({@code read_committed}): ingress answered 503; every webhook accepted in the end; none of the
 * accepted missing from whatsapp.inbound-messages; exactly one OPENED per new contact; the metrics-service counted
 * each new window once ({@code janela_windows_opened_total} of a business number of this scenario's own). Figures: 503s,
 * records written more than once, how long the throttle lasted and the time to the first 200 after it was lifted.
 */
record IngressOverloadScenario(StackHandle stack, int contacts, int rate) {

    static final String NAME = "ingress overload until 503 (Kafka throttling ingress), Meta-like retries";
    /** A business number of its own, so that the metrics counter holds this scenario's windows only. */
    static final String PHONE_NUMBER_ID = "100000000000019";

    static final int ENOUGH_503 = 50;
    static final Duration THROTTLE_AT_MOST = Duration.ofSeconds(60);

    ScenarioResult run(String command) {
        ScenarioResult result = new ScenarioResult(NAME, command);
        String run = Long.toString(System.currentTimeMillis() % 1_000_000) + "o";
        String ingressUrl = stack.services().get("ingress-service").baseUrl() + "/actuator/prometheus";
        String metricsUrl = stack.services().get("metrics-service").baseUrl() + "/actuator/prometheus";
        double windowsBefore = windowsOpened(metricsUrl);
        AtomicLong throttledAt = new AtomicLong();
        AtomicLong liftedAt = new AtomicLong();
        long began = System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
                MetaLikeSender sender = new MetaLikeSender(stack.webhookUrl(), stack::sign)) {
            // Ingress's producer client ids, known before the flow in case a scrape under load fails later.
            Set<String> clientIds = producerClientIds(ingressUrl);
            AtomicLong quota = new AtomicLong();
            AtomicLong measuredRate = new AtomicLong();
            java.util.concurrent.atomic.AtomicReference<Set<String>> throttled =
                    new java.util.concurrent.atomic.AtomicReference<>(Set.of());
            sender.send(
                    PHONE_NUMBER_ID,
                    run,
                    contacts,
                    rate,
                    index -> {
                        long now = System.nanoTime();
                        if (throttledAt.get() == 0 && index >= contacts / 4) {
                            // The rate measured now, with the flow on, sizes the quota.
                            Map<String, Double> measured = producerRates(ingressUrl);
                            double written = measured.values().stream()
                                    .filter(rate -> !rate.isNaN())
                                    .mapToDouble(Double::doubleValue)
                                    .sum();
                            // Kafka takes whole bytes per second only.
                            double limit = Math.max(1024, Math.floor(written / 2));
                            Set<String> ids = measured.isEmpty() ? clientIds : measured.keySet();
                            measuredRate.set(Math.round(written));
                            throttled.set(ids);
                            setQuota(admin, ids, limit);
                            quota.set(Math.round(limit));
                            throttledAt.set(now);
                        } else if (throttledAt.get() != 0
                                && liftedAt.get() == 0
                                && (sender.unavailableAnswers() >= ENOUGH_503
                                        || now - throttledAt.get() > THROTTLE_AT_MOST.toNanos())) {
                            setQuota(admin, throttled.get(), null);
                            liftedAt.set(System.nanoTime());
                        }
                    },
                    () -> liftedAt.get() == 0);
            FlowChecks.everyWebhookAccepted(result, sender, contacts, rate, began, Duration.ofMinutes(3));
            long firstAfter = sender.firstAcceptedAfter(liftedAt.get()).orElse(Long.MAX_VALUE);
            result.figure(
                    "ingress's producer(s) %s throttled to %d bytes/s (half the %d bytes/s measured, at least 1024)"
                            + " for %s; first 200 after the quota was lifted: %s",
                    throttled.get().isEmpty() ? "(client id unknown: every client)" : throttled.get(),
                    quota.get(),
                    measuredRate.get(),
                    ScenarioResult.seconds(Duration.ofNanos(liftedAt.get() - throttledAt.get())),
                    firstAfter == Long.MAX_VALUE
                            ? "never"
                            : ScenarioResult.seconds(Duration.ofNanos(firstAfter - liftedAt.get())));
            result.check(
                    "ingress answered 503 while Kafka was slow",
                    sender.unavailableAnswers() > 0,
                    sender.unavailableAnswers() + " answers 503");

            TopicTally tally = new TopicTally(stack.bootstrapServers(), stack.registryUrl());
            Map<String, Integer> records =
                    tally.inboundRecordsByMessageId(id -> id.startsWith("wamid.fault-" + run + "-"));
            long writtenAgain = records.values().stream().filter(n -> n > 1).count();
            result.figure(
                    "webhooks whose records ingress wrote more than once (a 503 after Kafka had appended them, then the"
                            + " retry): %d, %d records in all for %d message ids",
                    writtenAgain,
                    records.values().stream().mapToInt(Integer::intValue).sum(),
                    records.size());
            FlowChecks.streams(result, sender, tally, run, PHONE_NUMBER_ID);
            int newContacts = sender.acceptedCount();
            // Measurements wait the settle delay (30 s) after their last input before they are recorded.
            long metricsDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            double counted = windowsOpened(metricsUrl) - windowsBefore;
            while (counted < newContacts && System.nanoTime() < metricsDeadline) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
                counted = windowsOpened(metricsUrl) - windowsBefore;
            }
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(5)); // a double count would show after the last one
            counted = windowsOpened(metricsUrl) - windowsBefore;
            result.check(
                    "the metrics-service counted each new window once (janela_windows_opened_total)",
                    Math.round(counted) == newContacts,
                    Math.round(counted) + " counted for " + newContacts + " new contacts");
        } finally {
            if (throttledAt.get() != 0 && liftedAt.get() == 0) {
                try (Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
                    setQuota(admin, Set.of(), null);
                    setQuota(admin, producerClientIds(ingressUrl), null);
                }
            }
        }
        return result;
    }

    /**
     * {@code producer_byte_rate} for each client id ({@code null}: removed); no client id known: the default of every
     * client (the Streams services' producers slow down too).
     */
    private static void setQuota(Admin admin, Set<String> clientIds, Double bytesPerSecond) {
        List<Map<String, String>> entities = clientIds.isEmpty()
                ? List.of(java.util.Collections.singletonMap(ClientQuotaEntity.CLIENT_ID, null))
                : clientIds.stream()
                        .map(id -> Map.of(ClientQuotaEntity.CLIENT_ID, id))
                        .toList();
        List<ClientQuotaAlteration> alterations = entities.stream()
                .map(entity -> new ClientQuotaAlteration(
                        new ClientQuotaEntity(entity),
                        List.of(new ClientQuotaAlteration.Op("producer_byte_rate", bytesPerSecond))))
                .toList();
        try {
            admin.alterClientQuotas(alterations).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot set the client quota of " + clientIds, e);
        }
    }

    /** The client ids of ingress's producers, from its Prometheus page (up to a minute: it may answer slowly). */
    private static Set<String> producerClientIds(String prometheusUrl) {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Set<String> ids = producerRates(prometheusUrl).keySet();
        while (ids.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
            ids = producerRates(prometheusUrl).keySet();
        }
        return ids;
    }

    /** Ingress's producers by client id, with the bytes per second each is writing (Kafka's own client metric). */
    private static Map<String, Double> producerRates(String prometheusUrl) {
        String page = LocalHttp.bodyOrNull(prometheusUrl, Duration.ofSeconds(5));
        if (page == null) {
            return Map.of();
        }
        return PrometheusText.parse(page).sumBy("kafka_producer_outgoing_byte_rate", "client_id", sample -> true);
    }

    private static double windowsOpened(String prometheusUrl) {
        String page = LocalHttp.bodyOrNull(prometheusUrl, Duration.ofSeconds(5));
        return page == null
                ? Double.NaN
                : PrometheusText.parse(page)
                        .sum(
                                "janela_windows_opened_total",
                                sample -> PHONE_NUMBER_ID.equals(sample.label("phone_number_id")));
    }
}
