package io.janela.metrics.streams;

import io.janela.avro.DeliveryLatencyMeasurement;
import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.MessageFailureMeasurement;
import io.janela.avro.MessagePricingMeasurement;
import io.janela.avro.MessageSentMeasurement;
import io.janela.avro.ReadLatencyMeasurement;
import io.janela.avro.ResolutionMeasurement;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.ValueSerdes;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The metrics-service's measurement topics, one per kind of measurement, keyed by contact key. They are this
 * service's own (written by its topology, read by its recorder and its summary), so their names are configured under
 * {@code janela.metrics.topics.*} rather than in the shared contract.
 */
public record MeasurementTopics(
        TopicDescriptor<String, ResponseTimeMeasurement> responseTimes,
        TopicDescriptor<String, FirstResponseMeasurement> firstResponses,
        TopicDescriptor<String, WindowOpenedMeasurement> windowsOpened,
        TopicDescriptor<String, WindowClosedMeasurement> windowsClosed,
        TopicDescriptor<String, DeliveryLatencyMeasurement> deliveryLatencies,
        TopicDescriptor<String, ReadLatencyMeasurement> readLatencies,
        TopicDescriptor<String, MessageFailureMeasurement> failures,
        TopicDescriptor<String, MessageSentMeasurement> messagesSent,
        TopicDescriptor<String, MessagePricingMeasurement> messagesPriced,
        TopicDescriptor<String, ResolutionMeasurement> resolutions) {

    /** The topic names; a blank one keeps its default. */
    public record Names(
            String responseTimes,
            String firstResponses,
            String windowsOpened,
            String windowsClosed,
            String deliveryLatencies,
            String readLatencies,
            String failures,
            String messagesSent,
            String messagesPriced,
            String resolutions) {

        public Names {
            responseTimes = orDefault(responseTimes, "whatsapp.metrics.response-times");
            firstResponses = orDefault(firstResponses, "whatsapp.metrics.first-responses");
            windowsOpened = orDefault(windowsOpened, "whatsapp.metrics.windows-opened");
            windowsClosed = orDefault(windowsClosed, "whatsapp.metrics.windows-closed");
            deliveryLatencies = orDefault(deliveryLatencies, "whatsapp.metrics.delivery-latencies");
            readLatencies = orDefault(readLatencies, "whatsapp.metrics.read-latencies");
            failures = orDefault(failures, "whatsapp.metrics.failures");
            messagesSent = orDefault(messagesSent, "whatsapp.metrics.messages-sent");
            messagesPriced = orDefault(messagesPriced, "whatsapp.metrics.messages-priced");
            resolutions = orDefault(resolutions, "whatsapp.metrics.resolutions");
        }

        public static Names defaults() {
            return new Names(null, null, null, null, null, null, null, null, null, null);
        }

        private static String orDefault(String name, String fallback) {
            return name == null || name.isBlank() ? fallback : name.strip();
        }
    }

    public static MeasurementTopics create(Names names, ValueSerdes values) {
        return new MeasurementTopics(
                topic(names.responseTimes(), values, ResponseTimeMeasurement.class),
                topic(names.firstResponses(), values, FirstResponseMeasurement.class),
                topic(names.windowsOpened(), values, WindowOpenedMeasurement.class),
                topic(names.windowsClosed(), values, WindowClosedMeasurement.class),
                topic(names.deliveryLatencies(), values, DeliveryLatencyMeasurement.class),
                topic(names.readLatencies(), values, ReadLatencyMeasurement.class),
                topic(names.failures(), values, MessageFailureMeasurement.class),
                topic(names.messagesSent(), values, MessageSentMeasurement.class),
                topic(names.messagesPriced(), values, MessagePricingMeasurement.class),
                topic(names.resolutions(), values, ResolutionMeasurement.class));
    }

    /** Every measurement topic. */
    public List<TopicDescriptor<String, ?>> all() {
        return List.of(
                responseTimes,
                firstResponses,
                windowsOpened,
                windowsClosed,
                deliveryLatencies,
                readLatencies,
                failures,
                messagesSent,
                messagesPriced,
                resolutions);
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> TopicDescriptor<String, T> topic(
            String name, ValueSerdes values, Class<T> type) {
        return new TopicDescriptor<>(name, Serdes.String(), values.forType(type), false);
    }
}
