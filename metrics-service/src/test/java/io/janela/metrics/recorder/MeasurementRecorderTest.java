package io.janela.metrics.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.ValueSerdes;
import io.janela.metrics.hours.Schedules;
import io.janela.metrics.sla.SlaTargets;
import io.janela.metrics.streams.MeasurementTopics;
import io.janela.serde.registry.MockSchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The recorder's consumer loop, on a consumer that behaves as KafkaConsumer does when it is woken up. {@code stop()}
 * wakes the consumer; KafkaConsumer's contract is that the next blocking call throws {@link WakeupException}, whichever
 * it is: {@code poll}, or {@code commitSync} ("if wakeup() is called before or while this function is called").
 * {@link MockConsumer} honours it in {@code poll} only; {@link WakeupHonouringConsumer} in {@code commitSync} too.
 * A broker-backed restart is in MetricsRestartIT.
 */
class MeasurementRecorderTest {

    private final String scope = "recorder-" + UUID.randomUUID();
    private final MeasurementTopics topics = MeasurementTopics.create(
            MeasurementTopics.Names.defaults(), ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + scope)));
    private final TopicDescriptor<String, WindowOpenedMeasurement> windowsOpened = topics.windowsOpened();
    private final TopicPartition partition = new TopicPartition(windowsOpened.name(), 0);
    private final RecordingProgress progress =
            new RecordingProgress(Clock.systemUTC().millis());
    private final WakeupHonouringConsumer consumer = new WakeupHonouringConsumer();
    private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
    private Duration handoverScrapeWait;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger recorderLog = (Logger) LoggerFactory.getLogger(MeasurementRecorder.class);
    private MeasurementRecorder recorder;

    @BeforeEach
    void feedOneMeasurement() {
        log.start();
        recorderLog.addAppender(log);
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(partition));
            consumer.addRecord(new ConsumerRecord<>(partition.topic(), 0, 0, new byte[0], opened()));
        });
    }

    /** Starts the recorder and waits until it has recorded the measurement at offset 0. */
    private void start(Duration handoverWait) {
        handoverScrapeWait = handoverWait;
        recorder = recorder();
        recorder.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> progress.recorded().getOrDefault(partition, 0L) == 1L);
    }

    @AfterEach
    void cleanUp() {
        if (recorder != null) {
            recorder.stop();
        }
        recorderLog.detachAppender(log);
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void whatAScrapeShowedIsCommittedWhenTheStopComesBetweenAPollAndItsCommit() throws InterruptedException {
        start(Duration.ofMinutes(2));
        Thread stopping = new Thread(recorder::stop, "stopping");
        consumer.afterNextPoll = () -> {
            // Prometheus scrapes: the measurement at offset 0 is now in Prometheus and must not be read again...
            scrape();
            // ...and the service is told to stop just as this poll returns: the commit that follows is woken.
            stopping.start();
            await().atMost(Duration.ofSeconds(30)).untilTrue(consumer.woken);
        };

        awaitStopped(stopping);

        assertThat(consumer.commits)
                .as("the offsets a scrape showed, committed before the consumer closes")
                .containsEntry(partition, 1L);
        assertThat(consumer.closed()).isTrue();
        assertStoppedWithoutError();
    }

    @Test
    void whatAScrapeShowedIsCommittedWhenTheStopComesRightAfterACommit() throws InterruptedException {
        start(Duration.ofMinutes(2));
        TopicPartition other = new TopicPartition(windowsOpened.name(), 1);
        Thread stopping = new Thread(recorder::stop, "stopping");
        // The commit hook first: the poll hook's scrape allows the commit, which may follow before a second assignment.
        consumer.afterNextCommit = () -> {
            // Between this commit and the final one, a measurement of another partition is recorded and scraped,
            // and the stop's wakeup arrives while no blocking call is under way: the final commit meets it.
            progress.record(() -> {}, Map.of(other, 7L));
            consumer.rebalance(List.of(partition, other));
            scrape();
            stopping.start();
            await().atMost(Duration.ofSeconds(30)).untilTrue(consumer.woken);
        };
        consumer.afterNextPoll = this::scrape;

        awaitStopped(stopping);

        assertThat(consumer.commits).containsEntry(partition, 1L).containsEntry(other, 7L);
        assertStoppedWithoutError();
    }

    @Test
    void partitionsHandedToAnotherInstanceAreCommittedOnlyOnceAScrapeHasShownThem() {
        start(Duration.ofMinutes(2));
        // A new instance joins (a rolling deployment): this one's partition moves there, and this instance will be
        // stopped moments later. What it recorded but no scrape showed yet must not be committed before a scrape.
        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));

        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(30))
                .until(() -> !consumer.commits.containsKey(partition));
        scrape();

        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.commits.containsKey(partition));
        assertThat(consumer.commits).containsEntry(partition, 1L);
        assertThat(handovers("true")).isEqualTo(1.0);
        assertThat(handovers("false")).isZero();
    }

    @Test
    void aStopDuringTheHandoverWaitEndsItAndCommitsOnlyWhatAScrapeShowed() {
        start(Duration.ofMinutes(2));
        AtomicBoolean handingOver = new AtomicBoolean();
        consumer.schedulePollTask(() -> {
            handingOver.set(true);
            consumer.rebalance(List.of());
        });
        await().atMost(Duration.ofSeconds(30)).untilTrue(handingOver);

        recorder.stop();

        assertThat(recorder.isRunning()).isFalse();
        assertThat(consumer.closed()).as("the recorder thread ended").isTrue();
        assertThat(consumer.commits)
                .as("nothing was scraped: the next owner reads it again")
                .doesNotContainKey(partition);
        assertThat(handovers("true") + handovers("false")).isZero();
        assertStoppedWithoutError();
    }

    @Test
    void partitionsHandedOverWithoutAScrapeInTimeAreCommittedAsRecordedAndCounted() {
        start(Duration.ofMillis(200));

        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));

        await().atMost(Duration.ofSeconds(30)).until(() -> consumer.commits.containsKey(partition));
        assertThat(consumer.commits).containsEntry(partition, 1L);
        assertThat(handovers("false")).isEqualTo(1.0);
        assertThat(log.list)
                .anyMatch(event -> event.getLevel() == Level.WARN
                        && event.getFormattedMessage().startsWith("Handed 1 measurement partitions"));
    }

    private double handovers(String scraped) {
        var counter = meterRegistry
                .find(MeasurementMeters.HANDOVERS)
                .tag("scraped", scraped)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** Waits for the stop the consumer's hook starts to return. */
    private static void awaitStopped(Thread stopping) throws InterruptedException {
        await().atMost(Duration.ofSeconds(30)).until(() -> stopping.getState() != Thread.State.NEW);
        stopping.join(Duration.ofSeconds(60));
        assertThat(stopping.isAlive()).as("stop() returned").isFalse();
    }

    private void assertStoppedWithoutError() {
        assertThat(log.list)
                .as("a stop is no failure")
                .noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
                .anyMatch(event -> event.getLevel() == Level.INFO
                        && event.getFormattedMessage().startsWith("The measurement recorder stopped"));
    }

    private void scrape() {
        progress.scrape(() -> "scrape", scrape -> true, Clock.systemUTC().millis());
    }

    private MeasurementRecorder recorder() {
        @SuppressWarnings("unchecked")
        Deserializer<? extends SpecificRecord> deserializer = (Deserializer<? extends SpecificRecord>)
                windowsOpened.valueSerde().deserializer();
        return new MeasurementRecorder(
                () -> consumer,
                Map.of(windowsOpened.name(), deserializer),
                new MeasurementMeters(meterRegistry, Schedules.NONE, SlaTargets.NONE),
                progress,
                new RecorderDeadLetters(
                        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                        "whatsapp.metrics.dead-letter",
                        "metrics-service",
                        new SimpleMeterRegistry(),
                        Clock.systemUTC()),
                new MeasurementRecorder.Settings(
                        Duration.ofMillis(10), Duration.ofMinutes(10), Duration.ofSeconds(5), handoverScrapeWait),
                Clock.systemUTC());
    }

    private byte[] opened() {
        return windowsOpened
                .valueSerde()
                .serializer()
                .serialize(
                        windowsOpened.name(),
                        WindowOpenedMeasurement.newBuilder()
                                .setMeasurementId("106540352242922:US.1:window-opened:0")
                                .setPhoneNumberId("106540352242922")
                                .setContactId("US.1")
                                .setOccurredAt(Instant.parse("2026-11-20T10:00:00Z"))
                                .setOpeningMessageId("wamid.c1")
                                .setFirstContact(true)
                                .build());
    }

    /** A MockConsumer whose commitSync throws WakeupException after wakeup(), like KafkaConsumer's. */
    private static final class WakeupHonouringConsumer extends MockConsumer<byte[], byte[]> {

        final AtomicBoolean woken = new AtomicBoolean();
        final Map<TopicPartition, Long> commits = new ConcurrentHashMap<>();
        volatile Runnable afterNextPoll;
        volatile Runnable afterNextCommit;

        WakeupHonouringConsumer() {
            super("earliest");
        }

        @Override
        public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = super.poll(timeout);
            } catch (WakeupException e) {
                woken.set(false);
                throw e;
            }
            Runnable hook = afterNextPoll;
            if (hook != null) {
                afterNextPoll = null;
                hook.run();
            }
            return records;
        }

        @Override
        public void wakeup() {
            woken.set(true);
            super.wakeup();
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (woken.getAndSet(false)) {
                throw new WakeupException();
            }
            super.commitSync(offsets);
            offsets.forEach((partition, offset) -> commits.put(partition, offset.offset()));
            Runnable hook = afterNextCommit;
            if (hook != null) {
                afterNextCommit = null;
                hook.run();
            }
        }
    }
}
