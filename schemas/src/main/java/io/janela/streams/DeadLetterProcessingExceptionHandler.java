package io.janela.streams;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Janela Streams app does when processing one record throws: the source record's original bytes go to the
 * dead-letter topic ({@code errors.dead.letter.queue.topic.name}) with the cause, in the same exactly-once
 * transaction, and the app goes on with the next record, so that one record cannot stop a partition. Counted in
 * {@code janela.deadletter.records{stage="processing"}}, which an alert watches: a processing failure is a bug or a
 * record that broke an assumption, and someone must look.
 *
 * <p>A failure in a punctuation has no source record; it is logged and counted, and processing continues. Without a
 * dead-letter topic configured, the task fails rather than drop the record.
 *
 * <p>Set {@code processing.exception.handler} to this class.
 */
public class DeadLetterProcessingExceptionHandler implements ProcessingExceptionHandler {

    static final String STAGE = "processing";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterProcessingExceptionHandler.class);

    private String deadLetterTopic;
    private String service;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null || topic.toString().isBlank() ? null : topic.toString();
        service = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        DeadLetterMetrics.deadLettered(context.topic(), STAGE);
        log.error(
                "Processing failed in {} for {}-{}@{}",
                context.processorNodeId(),
                context.topic(),
                context.partition(),
                context.offset(),
                exception);
        if (context.sourceRawValue() == null) {
            return Response.resume(); // a punctuation: there is no record to keep
        }
        if (deadLetterTopic == null) {
            log.error(
                    "No dead-letter topic is configured ({}); stopping rather than dropping the record",
                    StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
            return Response.fail();
        }
        return Response.resume(List.of(DeadLetterRecords.of(
                deadLetterTopic,
                service,
                "PROCESSING_FAILED",
                exception,
                context.topic(),
                context.partition(),
                context.offset(),
                context.headers(),
                context.sourceRawKey(),
                context.sourceRawValue())));
    }
}
