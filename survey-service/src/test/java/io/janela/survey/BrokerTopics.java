package io.janela.survey;

import io.janela.contract.TopicDescriptor;
import io.janela.testsupport.kafka.TopicReader;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** The service's topics on the test's broker, as the ITs read and write them: by descriptor, Janela's serdes. */
final class BrokerTopics {

    private BrokerTopics() {}

    /** A reader from the beginning of every partition (read committed). */
    static <V> TopicReader<String, V> reader(String bootstrapServers, TopicDescriptor<String, V> topic) {
        return TopicReader.open(
                bootstrapServers,
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    /** Writes one record (acks=all) and waits for it; {@code timestamp} null lets the producer set it. */
    static <V> void send(
            String bootstrapServers, TopicDescriptor<String, V> topic, String key, V value, Long timestamp) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), null, timestamp, key, value))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("could not write to " + topic.name(), e);
        }
    }
}
