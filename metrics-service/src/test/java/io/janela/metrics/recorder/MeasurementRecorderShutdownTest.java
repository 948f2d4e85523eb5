package io.janela.metrics.recorder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.janela.avro.WindowOpenedMeasurement;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.ValueSerdes;
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
import org.junit.jupiter.api.Test;

/**
 * The recorder stopping. {@code stop()} wakes the consumer up; KafkaConsumer's contract is that the next blocking call
 * throws {@link WakeupException}, whichever it is: {@code poll}, or {@code commitSync} ("if wakeup() is called before
 * or while this function is called"). {@link MockConsumer} honours it in {@code poll} only; the consumer below honours
 * it in {@code commitSync} too, as the real one does.
 */
class MeasurementRecorderShutdownTest {

    private final String scope = "recorder-shutdown-" + UUID.randomUUID();
    private final MeasurementTopics topics = MeasurementTopics.create(
            MeasurementTopics.Names.defaults(), ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + scope)));
    private final TopicDescriptor<String, WindowOpenedMeasurement> windowsOpened = topics.windowsOpened();
    private final TopicPartition partition = new TopicPartition(windowsOpened.name(), 0);
    private final RecordingProgress progress =
            new RecordingProgress(Clock.systemUTC().millis());
    private final WakeupHonouringConsumer consumer = new WakeupHonouringConsumer();

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void whatAScrapeShowedIsCommittedWhenTheStopComesBetweenAPollAndItsCommit() throws InterruptedException {
        @SuppressWarnings("unchecked")
        Deserializer<? extends SpecificRecord> deserializer = (Deserializer<? extends SpecificRecord>)
                windowsOpened.valueSerde().deserializer();
        MeasurementRecorder recorder = new MeasurementRecorder(
                () -> consumer,
                Map.of(windowsOpened.name(), deserializer),
                new MeasurementMeters(new SimpleMeterRegistry()),
                progress,
                new RecorderDeadLetters(
                        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                        "whatsapp.metrics.dead-letter",
                        "metrics-service",
                        new SimpleMeterRegistry(),
                        Clock.systemUTC()),
                new MeasurementRecorder.Settings(Duration.ofMillis(10), Duration.ofMinutes(10), Duration.ofSeconds(5)),
                Clock.systemUTC());
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(partition));
            consumer.addRecord(new ConsumerRecord<>(partition.topic(), 0, 0, new byte[0], opened()));
        });
        recorder.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> progress.recorded().getOrDefault(partition, 0L) == 1L);

        Thread stopping = new Thread(recorder::stop, "stopping");
        consumer.afterNextPoll = () -> {
            // Prometheus scrapes: the measurement at offset 0 is now in Prometheus and must not be read again...
            progress.scrape(() -> "scrape", scrape -> true, Clock.systemUTC().millis());
            // ...and the service is told to stop just as this poll returns.
            stopping.start();
            await().atMost(Duration.ofSeconds(30)).untilTrue(consumer.woken);
        };
        await().atMost(Duration.ofSeconds(30)).until(() -> stopping.getState() != Thread.State.NEW);
        stopping.join(Duration.ofSeconds(60));

        assertThat(stopping.isAlive()).isFalse();
        assertThat(consumer.commits)
                .as("the offsets a scrape showed, committed before the consumer closes")
                .containsEntry(partition, 1L);
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
        }
    }
}
