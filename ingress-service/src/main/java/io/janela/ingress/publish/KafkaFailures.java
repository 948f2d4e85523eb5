package io.janela.ingress.publish;

import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;

/** Sorts Kafka's answers into the ones a retry of the delivery can fix and the ones it cannot. */
public final class KafkaFailures {

    private KafkaFailures() {}

    /**
     * Whether Kafka refused this very record, so that Meta's retry would be refused in the same way: too large for
     * the producer or the topic, or a timestamp outside the topic's accepted range. Everything else (broker
     * unreachable, timeouts, not enough replicas, authorisation, and the records that merely shared a batch with a
     * refused one) may succeed on retry.
     */
    public static boolean isRecordRejection(Throwable failure) {
        return failure instanceof RecordTooLargeException
                || failure instanceof InvalidTimestampException
                || failure instanceof InvalidRecordException;
    }
}
