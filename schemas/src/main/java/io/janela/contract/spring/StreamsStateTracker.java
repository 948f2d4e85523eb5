package io.janela.contract.spring;

import org.apache.kafka.streams.KafkaStreams;

/**
 * Follows a Kafka Streams instance's state for the health indicators: the state now, and whether it has ever been
 * RUNNING. A rebalance after RUNNING keeps serving (standby tasks and the partitions not moving answer; a moving one
 * answers 503 for a moment); the first rebalance after start does not, since nothing is restored yet.
 */
public final class StreamsStateTracker implements KafkaStreams.StateListener {

    private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
    private volatile boolean reachedRunning;

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
        state = newState;
        if (newState == KafkaStreams.State.RUNNING) {
            reachedRunning = true;
        } else if (newState == KafkaStreams.State.CREATED || newState == KafkaStreams.State.NOT_RUNNING) {
            reachedRunning = false;
        }
    }

    public KafkaStreams.State state() {
        return state;
    }

    /** Ready to answer: RUNNING, or REBALANCING after having been RUNNING. */
    public boolean ready() {
        KafkaStreams.State now = state;
        return now == KafkaStreams.State.RUNNING || (now == KafkaStreams.State.REBALANCING && reachedRunning);
    }

    /** Dead for good: every stream thread failed beyond replacement (ERROR). A restart of the process is the cure. */
    public boolean dead() {
        return state == KafkaStreams.State.ERROR;
    }
}
