package io.janela.metrics.recorder;

import io.janela.serde.AvroDeserializer;
import io.janela.serde.RegistryRetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The read-committed consumer that records the measurement topics into Micrometer. It sees only measurements of
 * committed Streams transactions, each once. Offsets are committed as {@link RecordingProgress} allows:
 *
 * <ul>
 *   <li>while running, up to what a complete Prometheus scrape has shown (or, after
 *       {@code commitUnscrapedAfter} without a scrape, up to what was recorded);
 *   <li>when partitions move to another instance while this one keeps running, once a scrape has shown all it
 *       recorded of them (waiting up to {@code handoverScrapeWait}): then neither this process nor the next owner
 *       can lose or repeat them. A rolling deployment moves partitions to a new instance and stops the old one
 *       moments later, often before Prometheus scrapes it again; committing what was recorded but never scraped
 *       would lose it. If no scrape comes in time, what was recorded is committed all the same (this process's
 *       meters hold it and its next scrape shows it, if it lives that long), counted in
 *       {@code janela.metrics.recorder.handovers{scraped="false"}};
 *   <li>when the process stops, up to what a scrape has shown: the rest dies with the meters and is read again by
 *       whoever records these partitions next.
 * </ul>
 *
 * A record that cannot be read goes to the dead-letter topic with its cause; when only the schema registry was
 * unreachable the recorder backs off and reads the record again.
 */
final class MeasurementRecorder implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MeasurementRecorder.class);

    private final Supplier<Consumer<byte[], byte[]>> consumers;
    private final Collection<String> topics;
    private final Map<String, Deserializer<? extends SpecificRecord>> deserializers;
    private final MeasurementMeters meters;
    private final RecordingProgress progress;
    private final RecorderDeadLetters deadLetters;
    private final Settings settings;
    private final Clock clock;
    private volatile boolean running;
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private volatile Consumer<byte[], byte[]> consumer;
    private Thread thread;
    /** Used by the recording thread only. */
    private final RegistryRetry registryRetry;
    /** Used by the recording thread only: where a registry outage stopped it, to start the back-off over past it. */
    private final OutageMark outage = new OutageMark();
    /** Used by the recording thread only: the next offset per partition of the last batch recorded. */
    private Map<TopicPartition, Long> lastBatchNext = Map.of();

    /** How the recorder polls and commits. */
    record Settings(
            Duration pollTimeout, Duration commitUnscrapedAfter, Duration retryBackoff, Duration handoverScrapeWait) {}

    MeasurementRecorder(
            Supplier<Consumer<byte[], byte[]>> consumers,
            Map<String, Deserializer<? extends SpecificRecord>> deserializers,
            MeasurementMeters meters,
            RecordingProgress progress,
            RecorderDeadLetters deadLetters,
            Settings settings,
            Clock clock) {
        this.consumers = consumers;
        this.topics = List.copyOf(deserializers.keySet());
        this.deserializers = Map.copyOf(deserializers);
        this.meters = meters;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.clock = clock;
        this.registryRetry = new RegistryRetry(settings.retryBackoff());
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "measurement-recorder");
        thread.start();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        Consumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        try (Consumer<byte[], byte[]> opened = consumers.get()) {
            consumer = opened;
            opened.subscribe(topics, new Rebalance(opened));
            long resumeAt = 0;
            while (running) {
                if (resumeAt != 0 && clock.millis() >= resumeAt) {
                    opened.resume(opened.paused());
                    resumeAt = 0;
                }
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = opened.poll(settings.pollTimeout());
                } catch (WakeupException stopping) {
                    break;
                }
                if (!recordBatch(opened, records)) {
                    opened.pause(opened.assignment());
                    Duration pause = registryRetry.failed();
                    log.warn("Schema registry unreachable; the recorder reads the same records again in {}", pause);
                    resumeAt = clock.millis() + pause.toMillis();
                } else if (outage.passedBy(lastBatchNext, opened.assignment())) {
                    registryRetry.succeeded();
                }
                try {
                    commitAcknowledged(opened);
                } catch (WakeupException stopping) {
                    // stop() woke the consumer after this poll returned: commitSync throws it as poll would have.
                    break;
                }
            }
            commitOnStop(opened);
            log.info("The measurement recorder stopped; offsets committed up to what a scrape has shown");
        } catch (RuntimeException e) {
            log.error("The measurement recorder stopped; measurements are no longer recorded", e);
            running = false;
        } finally {
            consumer = null;
        }
    }

    /**
     * Records a poll's records in order; stops at a record whose schema the registry could not serve, seeks back to
     * it and returns false, so that it is read again after the back-off.
     */
    private boolean recordBatch(Consumer<byte[], byte[]> opened, ConsumerRecords<byte[], byte[]> records) {
        List<SpecificRecord> measurements = new ArrayList<>();
        Map<TopicPartition, Long> next = new HashMap<>();
        boolean complete = true;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (!complete) {
                continue;
            }
            try {
                SpecificRecord measurement =
                        deserializers.get(record.topic()).deserialize(record.topic(), record.headers(), record.value());
                if (measurement == null) {
                    throw new SerializationException("a measurement record without a value");
                }
                measurements.add(measurement);
            } catch (SerializationException e) {
                if (AvroDeserializer.isTransientRegistryFailure(e)) {
                    log.debug(
                            "Schema registry unreachable while reading {}-{}@{}",
                            record.topic(),
                            record.partition(),
                            record.offset());
                    complete = false;
                    outage.stoppedAt(partition, record.offset());
                    continue;
                }
                deadLetters.send(record, e);
            }
            next.put(partition, record.offset() + 1);
        }
        progress.record(() -> measurements.forEach(meters::record), next);
        lastBatchNext = next;
        if (!complete) {
            // Every record of the batch after the failed one was skipped: rewind each partition to its first.
            for (TopicPartition partition : records.partitions()) {
                opened.seek(
                        partition,
                        next.getOrDefault(
                                partition, records.records(partition).getFirst().offset()));
            }
        }
        return complete;
    }

    /**
     * The last commit: what a scrape has shown. stop()'s wakeup may still be pending (it came after the last blocking
     * call): then the first commitSync throws it and spends it, and the second one commits.
     */
    private void commitOnStop(Consumer<byte[], byte[]> opened) {
        Map<TopicPartition, Long> acknowledged = progress.acknowledged();
        try {
            commit(opened, acknowledged);
        } catch (WakeupException pending) {
            commit(opened, acknowledged);
        }
    }

    private void commitAcknowledged(Consumer<byte[], byte[]> opened) {
        if (clock.millis() - progress.acknowledgedAt()
                > settings.commitUnscrapedAfter().toMillis()) {
            progress.acknowledgeRecorded(clock.millis());
        }
        commit(opened, progress.acknowledged());
    }

    private void commit(Consumer<byte[], byte[]> opened, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> changed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (!offset.equals(committed.get(partition)) && opened.assignment().contains(partition)) {
                changed.put(partition, new OffsetAndMetadata(offset));
            }
        });
        if (!changed.isEmpty()) {
            opened.commitSync(changed);
            changed.forEach((partition, offset) -> committed.put(partition, offset.offset()));
        }
    }

    /**
     * Partitions moving away while this process lives: once a scrape has shown what it recorded of them, commit it
     * all. The wait holds up only the partitions being handed over (the consumer is in a rebalance), for at most
     * {@code handoverScrapeWait}.
     */
    private final class Rebalance implements ConsumerRebalanceListener {

        private final Consumer<byte[], byte[]> opened;

        Rebalance(Consumer<byte[], byte[]> opened) {
            this.opened = opened;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!running) {
                return; // closing: the run loop commits only what a scrape has shown
            }
            boolean scraped = progress.awaitScraped(partitions, settings.handoverScrapeWait(), () -> running);
            // Stopping while it waited: this process's meters go with it, so only what a scrape showed is committed.
            Map<TopicPartition, Long> offsets = new HashMap<>(running ? progress.recorded() : progress.acknowledged());
            offsets.keySet().retainAll(partitions);
            commit(opened, offsets);
            if (running) {
                meters.handedOver(scraped, partitions.size());
                if (!scraped && settings.handoverScrapeWait().isPositive()) {
                    log.warn(
                            "Handed {} measurement partitions to another instance before a scrape showed all this"
                                    + " instance recorded of them (waited {}); if it stops before its next scrape,"
                                    + " those measurements are lost",
                            partitions.size(),
                            settings.handoverScrapeWait());
                }
            }
            progress.forget(partitions);
            partitions.forEach(committed::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            progress.forget(partitions);
            partitions.forEach(committed::remove);
        }
    }
}
