package io.janela.local.outbound;

import io.janela.avro.ConversationResolution;
import io.janela.avro.OutboundRequest;
import io.janela.contract.TopicNames;
import io.janela.serde.AvroSerializer;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes outbound requests to whatsapp.outbound-requests, and conversation resolutions to
 * whatsapp.conversation-resolutions, as a company system would: Avro in Confluent's wire format through the schema
 * registry, acks=all, idempotent, keyed by the recipient so that one contact's requests keep their order.
 */
public final class OutboundPublisher implements AutoCloseable {

    private final KafkaProducer<String, SpecificRecord> producer;
    private final String topic;
    private final String resolutionsTopic;

    public OutboundPublisher(String bootstrapServers, String registryUrl) {
        this.topic = TopicNames.defaults().outboundRequests();
        this.resolutionsTopic = TopicNames.defaults().conversationResolutions();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                1,
                ProducerConfig.CLIENT_ID_CONFIG,
                "local-stack-outbound",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                // By class: Kafka configures the serializers it creates (the registry URL), not given ones.
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                AvroSerializer.class,
                "schema.registry.url",
                registryUrl));
    }

    public String topic() {
        return topic;
    }

    /** Sends and waits for the broker's acknowledgement. */
    public RecordMetadata publish(OutboundRequest request) {
        return publish(new ProducerRecord<>(topic, key(request), request));
    }

    /** Sends a resolution (keyed by its recipient, as given) and waits for the broker's acknowledgement. */
    public RecordMetadata publish(ConversationResolution resolution) {
        String key = resolution.getRecipientUserId() != null
                ? resolution.getRecipientUserId()
                : resolution.getRecipientPhoneNumber();
        return publish(new ProducerRecord<>(resolutionsTopic, key, resolution));
    }

    private RecordMetadata publish(ProducerRecord<String, SpecificRecord> record) {
        try {
            return producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(record.topic() + " did not take the record: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    /** Sends without waiting; the callback gets the broker's answer. */
    public void publishAsync(OutboundRequest request, org.apache.kafka.clients.producer.Callback callback) {
        producer.send(new ProducerRecord<>(topic, key(request), request), callback);
    }

    private static String key(OutboundRequest request) {
        return request.getRecipient().getPhoneNumber() != null
                ? request.getRecipient().getPhoneNumber()
                : request.getRecipient().getUserId();
    }

    @Override
    public void close() {
        producer.close();
    }
}
