package io.janela.metrics.testing;

import io.janela.avro.ContactAlias;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageStatus;
import io.janela.avro.WindowEvent;
import io.janela.contract.TopicNames;
import io.janela.serde.AvroSerializer;
import java.time.Instant;
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
    private final TopicNames topics = TopicNames.defaults();

    public InputProducer(String bootstrapServers, String registryUrl) {
        AvroSerializer<SpecificRecord> values = new AvroSerializer<>();
        values.configure(Map.of("schema.registry.url", registryUrl), false);
        producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                values);
    }

    public void send(InboundMessage message) {
        send(
                topics.inboundMessages(),
                message.getPhoneNumberId() + ":" + message.getContactId(),
                message,
                message.getTimestamp());
    }

    public void send(WindowEvent event) {
        send(
                topics.windowEvents(),
                event.getPhoneNumberId() + ":" + event.getContactId(),
                event,
                event.getOccurredAt());
    }

    public void send(MessageStatus status) {
        send(topics.messageStatuses(), MetaRecords.keyOf(status), status, status.getTimestamp());
    }

    public void send(DispatchResult result) {
        send(
                topics.dispatchResults(),
                result.getPhoneNumberId() + ":" + result.getContactId(),
                result,
                result.getSentAt() != null ? result.getSentAt() : result.getDecidedAt());
    }

    public void send(ContactAlias alias) {
        send(topics.contactAliases(), alias.getPhoneNumberId() + ":" + alias.getWaId(), alias, alias.getSeenAt());
    }

    private void send(String topic, String key, SpecificRecord value, Instant at) {
        try {
            producer.send(new ProducerRecord<>(topic, null, at.toEpochMilli(), key, value))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not send to " + topic, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
