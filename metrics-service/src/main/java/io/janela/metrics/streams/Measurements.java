package io.janela.metrics.streams;

import java.time.Instant;
import org.apache.avro.specific.SpecificRecord;

/** What every measurement record has in common: an {@code occurredAt}, the event time it belongs to. */
public final class Measurements {

    private Measurements() {}

    /**
     * The measurement's {@code occurredAt} in epoch ms: its record timestamp inside the topology and its place in the
     * summary. The sinks write the time of writing instead (MetricsTopology).
     */
    public static long occurredAt(SpecificRecord measurement) {
        Object occurredAt =
                measurement.get(measurement.getSchema().getField("occurredAt").pos());
        return ((Instant) occurredAt).toEpochMilli();
    }
}
