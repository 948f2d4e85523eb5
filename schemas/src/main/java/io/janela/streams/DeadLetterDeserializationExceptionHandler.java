package io.janela.streams;

import io.janela.serde.AvroDeserializer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Janela Streams app does with a record it cannot deserialize:
 *
 * <ul>
 *   <li>the record is at fault (not Avro, unknown schema id, undecodable): it goes, as received, to the dead-letter
 *       topic {@code errors.dead.letter.queue.topic.name} with {@code DeadLetterHeaders}, inside the same
 *       exactly-once transaction as the app's output, and processing continues;
 *   <li>the schema registry could not be reached: nothing is wrong with the record, so the task fails and the record
 *       is read again when the stream thread is replaced (configure the REPLACE_THREAD uncaught-exception policy);
 *   <li>no dead-letter topic is configured: the task fails rather than lose the record.
 * </ul>
 *
 * Set {@code deserialization.exception.handler} to this class.
 */
public class DeadLetterDeserializationExceptionHandler implements DeserializationExceptionHandler {

    static final String STAGE = "deserialization";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationExceptionHandler.class);

    private String deadLetterTopic;
    private String service;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null || topic.toString().isBlank() ? null : topic.toString();
        service = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        if (AvroDeserializer.isTransientRegistryFailure(exception)) {
            DeadLetterMetrics.deferred(record.topic());
            log.warn(
                    "Schema registry unavailable while reading {}-{}@{}; the record will be read again: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    exception.getMessage());
            return Response.fail();
        }
        if (deadLetterTopic == null) {
            log.error(
                    "Cannot deserialize {}-{}@{} and no dead-letter topic is configured ({}); stopping rather than"
                            + " dropping it",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
                    exception);
            return Response.fail();
        }
        DeadLetterMetrics.deadLettered(record.topic(), STAGE);
        log.warn(
                "Dead-lettering {}-{}@{} to {}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                deadLetterTopic,
                DeadLetterRecords.describe(exception));
        return Response.resume(List.of(DeadLetterRecords.of(
                deadLetterTopic,
                service,
                "UNDECODABLE",
                exception,
                record.topic(),
                record.partition(),
                record.offset(),
                record.headers(),
                record.key(),
                record.value())));
    }
}
