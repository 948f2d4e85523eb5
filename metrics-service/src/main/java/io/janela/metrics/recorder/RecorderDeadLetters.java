package io.janela.metrics.recorder;

import io.janela.contract.DeadLetterHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the recorder puts a measurement record it cannot read: the service's dead-letter topic, as received, with
 * {@link DeadLetterHeaders} naming the cause and the source, counted in {@code janela.deadletter.records{stage=
 * "recording"}} like the Streams handlers' dead letters. The send is awaited before the recorder moves past the
 * record, so nothing is dropped.
 */
final class RecorderDeadLetters {

    private static final Logger log = LoggerFactory.getLogger(RecorderDeadLetters.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String service;
    private final MeterRegistry registry;
    private final Clock clock;

    RecorderDeadLetters(
            Producer<byte[], byte[]> producer, String topic, String service, MeterRegistry registry, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.service = service;
        this.registry = registry;
        this.clock = clock;
    }

    void send(ConsumerRecord<byte[], byte[]> record, Exception cause) {
        log.warn(
                "Dead-lettering measurement record {}-{}@{} to {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                topic,
                cause.getMessage());
        Headers headers = new RecordHeaders(record.headers().toArray());
        put(headers, DeadLetterHeaders.REASON, "UNDECODABLE");
        put(headers, DeadLetterHeaders.CAUSE, String.valueOf(cause.getMessage()));
        put(headers, DeadLetterHeaders.EXCEPTION, cause.getClass().getName());
        put(headers, DeadLetterHeaders.SERVICE, service);
        put(headers, DeadLetterHeaders.FAILED_AT, clock.instant().toString());
        put(headers, DeadLetterHeaders.SOURCE_TOPIC, record.topic());
        put(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(record.partition()));
        put(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(record.offset()));
        try {
            producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new KafkaException(
                    "could not dead-letter " + record.topic() + "-" + record.partition() + "@" + record.offset(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while dead-lettering", e);
        }
        Counter.builder("janela.deadletter.records")
                .description("Records sent to the dead-letter topic")
                .tag("source_topic", record.topic())
                .tag("stage", "recording")
                .register(registry)
                .increment();
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
