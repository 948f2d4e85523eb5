package io.janela.dispatch.send;

import io.janela.avro.AccountEvent;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.serde.RegistryRetry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows whatsapp.account-events (compacted) for the throughput Meta reports per business number: on its own thread,
 * without a consumer group, every partition read from the beginning at start and then followed. Each record goes to
 * {@link ThroughputReports}; when a number's limit changes, the change is logged and {@link #takeChanged()} tells the
 * send loop to set the pacer's rates again. A record the schema registry could not be reached for is read again; a
 * corrupt one is skipped. Until the topic has been read, each number's configured limit applies, unless Meta answered
 * the question asked at start ({@link ThroughputQuestions}, told here as a report of its own).
 */
final class ThroughputReader implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ThroughputReader.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Deserializer<AccountEvent> values;
    private final ThroughputReports reports;
    private final RegistryRetry registryRetry;
    private final Map<String, ThroughputReports.Limit> applied = new HashMap<>();
    private final AtomicBoolean changed = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, AccountEvent> consumer;

    /**
     * @param consumerConfig the sender's consumer settings; the group, its instance and the client id are replaced
     */
    ThroughputReader(
            String topic,
            Map<String, Object> consumerConfig,
            Deserializer<AccountEvent> values,
            ThroughputReports reports,
            Duration registryRetryMaxBackoff) {
        this.topic = topic;
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfig.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        this.consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "dispatch-throughput-reader");
        this.values = values;
        this.reports = reports;
        this.registryRetry = new RegistryRetry(registryRetryMaxBackoff);
        for (BusinessNumber number : reports.numbers()) {
            applied.put(number.phoneNumberId(), reports.limit(number));
        }
        this.thread =
                Thread.ofPlatform().name("dispatch-throughput-reader").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Whether some number's limit changed since the last call. */
    boolean takeChanged() {
        return changed.getAndSet(false);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, AccountEvent> newConsumer =
                    new KafkaConsumer<>(consumerConfig, new StringDeserializer(), values)) {
                consumer = newConsumer;
                if (!running) {
                    return;
                }
                List<TopicPartition> partitions = newConsumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
                if (partitions.isEmpty()) {
                    sleep(Duration.ofSeconds(1)); // not created yet
                    continue;
                }
                newConsumer.assign(partitions);
                newConsumer.seekToBeginning(partitions);
                follow(newConsumer);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Reading {} for throughput reports failed; reading it again: {}", topic, e.toString());
                    sleep(Duration.ofSeconds(1));
                }
            } finally {
                consumer = null;
            }
        }
    }

    private void follow(KafkaConsumer<String, AccountEvent> consumer) {
        while (running) {
            try {
                boolean any = false;
                for (ConsumerRecord<String, AccountEvent> record : consumer.poll(POLL)) {
                    any |= reports.accept(record.key(), record.value());
                }
                registryRetry.succeeded();
                if (any) {
                    applyChanges();
                }
            } catch (RecordDeserializationException e) {
                if (RegistryRetry.isTransient(e)) {
                    Duration pause = registryRetry.failed();
                    log.warn(
                            "The schema registry could not be reached to read the account event at {}-{}; reading it"
                                    + " again in {}",
                            e.topicPartition(),
                            e.offset(),
                            pause);
                    consumer.seek(e.topicPartition(), e.offset());
                    sleep(pause);
                } else {
                    log.warn(
                            "Skipping a corrupt account event at {}-{}: {}",
                            e.topicPartition(),
                            e.offset(),
                            e.toString());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                }
            }
        }
    }

    /**
     * A report that did not come from the topic (Meta's answer at start, {@link ThroughputQuestions}), under a key of
     * its own: it counts as the topic's reports do, newest by Meta's time.
     */
    void told(String key, AccountEvent report) {
        if (reports.accept(key, report)) {
            applyChanges();
        }
    }

    /** Logs each number whose limit changed, and flags the change for the send loop. */
    synchronized void applyChanges() {
        for (BusinessNumber number : reports.numbers()) {
            ThroughputReports.Limit limit = reports.limit(number);
            ThroughputReports.Limit before = applied.put(number.phoneNumberId(), limit);
            if (limit.equals(before)) {
                continue;
            }
            log.info(
                    "Business number {}: Meta's throughput report of {} ({}) sets its limit to {} messages/s (was {},"
                            + " {})",
                    number.phoneNumberId(),
                    reports.reportedAt(number.phoneNumberId()),
                    limit.source(),
                    limit.perSecond(),
                    before == null ? "-" : before.perSecond(),
                    before == null ? "-" : before.source());
            changed.set(true);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, AccountEvent> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
