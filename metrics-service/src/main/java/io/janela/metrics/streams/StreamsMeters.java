package io.janela.metrics.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/**
 * Operational meters of the measurement topology, counted by the stream threads of this process. Unlike the
 * measurements themselves they are not exactly once: a task that is reprocessed after a failure counts its records
 * again. They say how healthy the inputs are, not how the business is doing.
 *
 * <ul>
 *   <li>{@code janela.inputs.duplicates{input}}: input records ignored as repeats (the same message id, status or
 *       window event again: Meta retries webhooks);
 *   <li>{@code janela.inputs.late{input}}: input records too old to place (before what the service still keeps of
 *       the contact's timeline), and customer messages dropped from a timeline at {@code max-timeline-entries} while
 *       they waited for an answer;
 *   <li>{@code janela.measurements.late{measurement}}: emitted measurements a late record would have changed; the
 *       emitted value stands;
 *   <li>{@code janela.late.acts.unplaced{reason}}: customer acts the window-service told as LATE that no window
 *       holds ({@link UnplacedLateAct}), registered at 0 for each reason;
 *   <li>{@code janela.deadline.index.rebuild{index}}: time from a task's start until the deadlines of its states were
 *       back in a deadline index ({@code conversations} or {@code messages}), which has no changelog; the task
 *       processes records meanwhile ({@link io.janela.streams.DeadlineRebuild}).
 * </ul>
 */
public final class StreamsMeters {

    public static final String DUPLICATES = "janela.inputs.duplicates";
    public static final String LATE_INPUTS = "janela.inputs.late";
    public static final String LATE_MEASUREMENTS = "janela.measurements.late";
    public static final String INDEX_REBUILD = "janela.deadline.index.rebuild";
    public static final String LATE_ACTS_UNPLACED = "janela.late.acts.unplaced";

    private final MeterRegistry registry;

    public StreamsMeters(MeterRegistry registry) {
        this.registry = registry;
        for (UnplacedLateAct reason : UnplacedLateAct.values()) {
            // At 0 from the start: the first one is seen by increase() (a series' first sample is no increase).
            lateActsUnplaced(reason, 0);
        }
    }

    public void duplicate(String input) {
        counter(DUPLICATES, "input", input, "Input records ignored as repeats").increment();
    }

    public void lateInput(String input) {
        lateInput(input, 1);
    }

    public void lateInput(String input, int count) {
        counter(LATE_INPUTS, "input", input, "Input records too old to place in the timeline, or dropped from it")
                .increment(count);
    }

    public void lateMeasurement(LateMeasurement measurement, int count) {
        counter(
                        LATE_MEASUREMENTS,
                        "measurement",
                        measurement.name().toLowerCase(Locale.ROOT),
                        "Emitted measurements a late record would have changed")
                .increment(count);
    }

    public void lateActsUnplaced(UnplacedLateAct reason, int count) {
        counter(
                        LATE_ACTS_UNPLACED,
                        "reason",
                        reason.name().toLowerCase(Locale.ROOT),
                        "Customer acts told LATE that no window holds, so no conversation counts them")
                .increment(count);
    }

    public void indexRebuilt(String index, Duration took) {
        Timer.builder(INDEX_REBUILD)
                .tag("index", index)
                .description(
                        "From a task's start until its states' deadlines were back in the index (records flow meanwhile)")
                .register(registry)
                .record(took);
    }

    private Counter counter(String name, String tag, String value, String description) {
        return Counter.builder(name).tag(tag, value).description(description).register(registry);
    }
}
