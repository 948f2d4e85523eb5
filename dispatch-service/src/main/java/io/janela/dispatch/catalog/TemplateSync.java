package io.janela.dispatch.catalog;

import io.janela.avro.Template;
import io.janela.avro.TemplateStatus;
import io.janela.contract.TemplateKey;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.decision.DecisionTopology;
import io.janela.dispatch.graph.GraphApiClient;
import io.janela.dispatch.graph.ListedTemplate;
import io.janela.dispatch.graph.TemplatePage;
import io.janela.dispatch.topics.DispatchTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists every configured business account's templates through the Graph API ({@code GET /{waba-id}/message_templates},
 * page by page) at start and every {@code interval}, and publishes each as a catalog input
 * (whatsapp.dispatch.template-sync); a catalog entry the listing no longer shows is published DELETED. Webhooks keep
 * the catalog current in between; the sync catches what they missed (a webhook lost, a template created before
 * Janela ran) and brings the parameters webhooks do not carry.
 *
 * <p>Only the instance that processes the catalog (the single partition of the sync topic) syncs, so that several
 * instances do not spend Meta's management call budget (200 calls an hour per app and account by default) several
 * times over.
 */
public final class TemplateSync implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TemplateSync.class);
    private static final Duration PAGE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CHECK_EVERY = Duration.ofSeconds(5);

    private final BusinessNumbers numbers;
    private final GraphApiClient graph;
    private final Producer<String, Template> producer;
    private final DispatchTopics topics;
    private final DispatchProperties.TemplateSync settings;
    private final Supplier<KafkaStreams> streams;
    private final Clock clock;
    private final MeterRegistry registry;
    private volatile Instant lastSync;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("dispatch-template-sync").daemon().factory());

    public TemplateSync(
            BusinessNumbers numbers,
            GraphApiClient graph,
            Producer<String, Template> producer,
            DispatchTopics topics,
            DispatchProperties.TemplateSync settings,
            Supplier<KafkaStreams> streams,
            Clock clock,
            MeterRegistry registry) {
        this.numbers = numbers;
        this.graph = graph;
        this.producer = producer;
        this.topics = topics;
        this.settings = settings;
        this.streams = streams;
        this.clock = clock;
        this.registry = registry;
    }

    public void start() {
        if (settings.enabled()) {
            long check = Math.min(settings.interval().toMillis(), CHECK_EVERY.toMillis());
            scheduler.scheduleWithFixedDelay(
                    this::syncIfDue, settings.initialDelay().toMillis(), check, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Syncs when this instance processes the catalog and has not synced for an interval (or ever: a new holder of the
     * catalog syncs at once). Checked often, so that the first sync follows the Streams application's start.
     */
    private void syncIfDue() {
        try {
            if (!processesCatalog()) {
                lastSync = null;
                return;
            }
            Instant now = clock.instant();
            if (lastSync == null || !now.isBefore(lastSync.plus(settings.interval()))) {
                syncAll();
                lastSync = now;
            }
        } catch (RuntimeException e) {
            log.warn("The template sync failed; trying again in {}: {}", CHECK_EVERY, e.toString());
        }
    }

    /** Lists and publishes every account's templates now. */
    public void syncAll() {
        Map<String, BusinessNumber> accounts = new LinkedHashMap<>();
        numbers.all().forEach(number -> accounts.putIfAbsent(number.wabaId(), number));
        for (BusinessNumber number : accounts.values()) {
            try {
                int listed = sync(number);
                count("synced");
                log.info("Synced {} templates of business account {}", listed, number.wabaId());
            } catch (RuntimeException e) {
                count("failed");
                log.warn("Could not sync the templates of business account {}: {}", number.wabaId(), e.toString());
            }
        }
    }

    private int sync(BusinessNumber number) {
        String wabaId = number.wabaId();
        Instant syncedAt = clock.instant();
        Set<String> listedKeys = new HashSet<>();
        String after = null;
        do {
            TemplatePage page = graph.listTemplates(wabaId, numbers.accessToken(number), after, settings.pageSize())
                    .block(PAGE_TIMEOUT);
            for (ListedTemplate listed : page.templates()) {
                Template template = TemplateListings.toTemplate(wabaId, listed, syncedAt);
                String key = new TemplateKey(wabaId, template.getName(), template.getLanguage()).format();
                listedKeys.add(key);
                producer.send(new ProducerRecord<>(topics.templateSync().name(), key, template));
            }
            after = page.after();
        } while (after != null);
        for (Template known : known(wabaId)) {
            String key = new TemplateKey(wabaId, known.getName(), known.getLanguage()).format();
            if (!listedKeys.contains(key) && known.getStatus() != TemplateStatus.DELETED) {
                producer.send(new ProducerRecord<>(
                        topics.templateSync().name(), key, TemplateListings.deleted(known, syncedAt)));
            }
        }
        producer.flush();
        return listedKeys.size();
    }

    /** The catalog's entries of an account, as this instance's copy of whatsapp.templates holds them. */
    private Iterable<Template> known(String wabaId) {
        ReadOnlyKeyValueStore<String, ValueAndTimestamp<Template>> store = streams.get()
                .store(StoreQueryParameters.fromNameAndType(
                        DecisionTopology.TEMPLATES_STORE, QueryableStoreTypes.timestampedKeyValueStore()));
        java.util.List<Template> entries = new java.util.ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<Template>> iterator =
                store.prefixScan(wabaId + ":", new StringSerializer())) {
            iterator.forEachRemaining(entry -> entries.add(entry.value.value()));
        }
        return entries;
    }

    private boolean processesCatalog() {
        KafkaStreams running = streams.get();
        if (running == null || running.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        String syncTopic = topics.templateSync().name();
        return running.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .map(TaskMetadata::topicPartitions)
                .flatMap(Set::stream)
                .anyMatch(partition -> partition.topic().equals(syncTopic));
    }

    private void count(String outcome) {
        Counter.builder("janela.dispatch.templates.syncs")
                .description("Template syncs of a business account")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** Stops syncing and closes the producer it was given. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close(Duration.ofSeconds(5));
    }
}
