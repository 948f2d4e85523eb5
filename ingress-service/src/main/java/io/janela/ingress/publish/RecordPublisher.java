package io.janela.ingress.publish;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Hands records to Kafka and reports, per record, whether Kafka acknowledged it. */
public interface RecordPublisher {

    /** Sends every record and completes once each has an outcome; never completes exceptionally, never blocks. */
    CompletableFuture<PublishResult> publish(List<ProducerRecord<byte[], byte[]>> records);
}
