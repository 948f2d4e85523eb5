package io.janela.metrics.streams;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The bookkeeping of one settling pass, shared by the conversation and message steps: the measurements it emits, the
 * measurements a late record would have changed, and the earliest processing time at which something still pending
 * settles. A measurement settles once every record it depends on arrived at least the settle delay ago.
 */
public abstract class SettlingPass {

    protected final long now;
    private final long delay;
    private final List<SpecificRecord> measurements = new ArrayList<>();
    private final Map<LateMeasurement, Integer> late = new EnumMap<>(LateMeasurement.class);
    private Long nextCheckAt;

    /**
     * @param now processing time of the pass (ms)
     * @param delay the settle delay (ms)
     */
    protected SettlingPass(long now, long delay) {
        this.now = now;
        this.delay = delay;
    }

    /** True when every record the measurement depends on arrived at least the delay ago; else remember when. */
    protected final boolean settled(long lastArrival) {
        long due = lastArrival + delay;
        if (due <= now) {
            return true;
        }
        nextCheckAt = nextCheckAt == null ? due : Math.min(nextCheckAt, due);
        return false;
    }

    /** A late record would have changed an emitted measurement of this kind. */
    protected final void late(LateMeasurement kind) {
        late.merge(kind, 1, Integer::sum);
    }

    protected final void emit(SpecificRecord measurement) {
        measurements.add(measurement);
    }

    /** What the pass emitted, in order. */
    public final List<SpecificRecord> measurements() {
        return List.copyOf(measurements);
    }

    /** Late counts by kind. */
    public final Map<LateMeasurement, Integer> lateCounts() {
        return Map.copyOf(late);
    }

    /** When pending measurements settle; null when none is pending. */
    public final Long nextCheckAt() {
        return nextCheckAt;
    }
}
