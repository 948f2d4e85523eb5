package io.janela.streams;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The settings a Janela Kafka Streams service's guarantees depend on, set in code where configuration cannot undo
 * them: exactly-once v2, and Janela's dead-letter handlers ({@link DeadLetterDeserializationExceptionHandler},
 * {@link DeadLetterProcessingExceptionHandler}) writing to the service's dead-letter topic.
 */
public final class StreamsGuarantees {

    private StreamsGuarantees() {}

    /** Sets exactly-once v2 and the dead-letter handlers and topic in {@code streams}; returns it. */
    public static Properties exactlyOnceWithDeadLetters(Properties streams, String deadLetterTopic) {
        streams.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        streams.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationExceptionHandler.class.getName());
        streams.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterProcessingExceptionHandler.class.getName());
        streams.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
        return streams;
    }
}
