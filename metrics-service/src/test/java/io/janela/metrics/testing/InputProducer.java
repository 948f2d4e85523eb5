package io.janela.metrics.testing;

import io.janela.avro.CallEvent;
import io.janela.avro.ContactAlias;
import io.janela.avro.ConversationResolution;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.SurveyEvent;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.contract.TopicNames;
import io.janela.serde.AvroSerializer;
import io.janela.testfixtures.MetaRecords;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes Janela's input records to a real broker as ingress, the window-service and dispatch would: Avro in
 * Confluent's wire format, keyed by contact (or by phone number where they do), record time = event time. Each send
 * is awaited, so a test knows what is on the topics.
 */
public final class InputProducer implements AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final boolean awaitEachSend;
    private volatile Exception failure;
    private final TopicNames topics = TopicNames.defaults();

    public InputProducer(String bootstrapServers, String registryUrl) {
        this(bootstrapServers, registryUrl, true);
    }

    /**
     * @param awaitEachSend false for bulk loads: sends are batched and only {@link #close()} waits for them (a
     *     failed send then fails the close)
     */
    public InputProducer(String bootstrapServers, String registryUrl, boolean awaitEachSend) {
        this.awaitEachSend = awaitEachSend;
        AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
        values.configure(Map.of("schema.registry.url", registryUrl), false);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        if (!awaitEachSend) {
            // A bulk load right after topic creation meets partitions that are not ready yet: one batch in flight so
            // that retries keep the order, and no idempotence, whose sequence checks a loaded single-node broker was
            // seen to reject forever after such a retry. A record written twice is harmless: the metrics topology
            // counts repeated inputs once.
            config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            config.put(ProducerConfig.BATCH_SIZE_CONFIG, 262_144);
            config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        }
        producer = new KafkaProducer<>(config, new StringSerializer(), values);
    }

    public void send(InboundMessage message) {
        send(
                topics.inboundMessages(),
                message.getPhoneNumberId() + ":" + message.getContactId(),
                message,
                message.getTimestamp());
    }

    /** Record time as the window-service writes it: the event's time, or for a LATE event the time of writing. */
    public void send(WindowEvent event) {
        send(
                topics.windowEvents(),
                event.getPhoneNumberId() + ":" + event.getContactId(),
                event,
                event.getType() == WindowEventType.LATE ? Instant.now() : event.getOccurredAt());
    }

    public void send(MessageStatus status) {
        send(topics.messageStatuses(), MetaRecords.keyOf(status), status, status.getTimestamp());
    }

    public void send(DispatchResult result) {
        send(result, result.getPhoneNumberId() + ":" + result.getContactId());
    }

    /** Keyed as dispatch keys a result it found no contact for: {@code {phoneNumberId}:{recipient}}. */
    public void send(DispatchResult result, String key) {
        send(
                topics.dispatchResults(),
                key,
                result,
                result.getSentAt() != null ? result.getSentAt() : result.getDecidedAt());
    }

    public void send(ContactAlias alias) {
        send(topics.contactAliases(), alias.getPhoneNumberId() + ":" + alias.getWaId(), alias, alias.getSeenAt());
    }

    public void send(MessageEcho echo) {
        send(topics.messageEchoes(), echo.getPhoneNumberId() + ":" + echo.getContactId(), echo, echo.getTimestamp());
    }

    public void send(SurveyEvent event) {
        send(
                topics.surveyEvents(),
                event.getPhoneNumberId() + ":" + event.getContactId(),
                event,
                event.getOccurredAt());
    }

    public void send(CallEvent call) {
        send(topics.callEvents(), call.getPhoneNumberId() + ":" + call.getContactId(), call, call.getTimestamp());
    }

    /** Keyed as a company system might: by its own resolution id. */
    public void send(ConversationResolution resolution) {
        send(topics.conversationResolutions(), resolution.getResolutionId(), resolution, resolution.getResolvedAt());
    }

    private void send(String topic, String key, SpecificRecord value, Instant at) {
        var sent = producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), key, value), (metadata, e) -> {
            if (e != null && failure == null) {
                failure = e;
            }
        });
        if (!awaitEachSend) {
            return;
        }
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.flush();
        producer.close();
        if (failure != null) {
            throw new IllegalStateException("a send failed", failure);
        }
    }
}
