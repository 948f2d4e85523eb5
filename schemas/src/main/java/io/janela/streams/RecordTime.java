package io.janela.streams;

import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.ValueMapper;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The Kafka timestamp a Streams app gives the records it writes to a topic. Kafka's time-based retention counts from
 * it: a record dated earlier than {@code now - retention.ms} is deleted as soon as the broker's retention check finds
 * its segment, whether or not anyone has read it. Every value already carries its event time (Meta's, or the
 * measurement's), so the record timestamp only has to serve retention and the timestamp synchronization of the
 * Kafka Streams apps that read the topic.
 */
public enum RecordTime {

    /**
     * The stream thread's wall clock when the record is written ({@code currentSystemTimeMs}), whatever the processor
     * forwarded: a record stays the topic's whole retention after it was written, however long ago its event
     * happened (a webhook Meta retried for a day, a backlog replayed after an outage). For every topic deleted by
     * time.
     */
    WRITTEN,

    /**
     * The timestamp the processor forwarded (an event time). Only for compacted topics (no time-based retention;
     * since Kafka 3.1 a tombstone's {@code delete.retention.ms} counts from the cleaning that first saw it, not from
     * its timestamp), where a reader that joins against the topic as a table wants the event time to order the
     * table's updates before the stream records that came after them.
     */
    FORWARDED;

    /** {@code stream}'s values mapped by {@code mapper}, carrying this record time; one node, named {@code named}. */
    public <K, V, VR> KStream<K, VR> mapValues(
            KStream<K, V> stream, ValueMapper<? super V, ? extends VR> mapper, Named named) {
        return switch (this) {
            case FORWARDED -> stream.mapValues(mapper, named);
            case WRITTEN -> stream.processValues(() -> new AtWallClock<K, V, VR>(mapper), named);
        };
    }

    /** Maps the value and stamps the record with the stream thread's wall clock. */
    private static final class AtWallClock<K, V, VR> implements FixedKeyProcessor<K, V, VR> {

        private final ValueMapper<? super V, ? extends VR> mapper;
        private FixedKeyProcessorContext<K, VR> context;

        AtWallClock(ValueMapper<? super V, ? extends VR> mapper) {
            this.mapper = mapper;
        }

        @Override
        public void init(FixedKeyProcessorContext<K, VR> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<K, V> record) {
            VR value = mapper.apply(record.value());
            context.forward(record.withValue(value).withTimestamp(context.currentSystemTimeMs()));
        }
    }
}
