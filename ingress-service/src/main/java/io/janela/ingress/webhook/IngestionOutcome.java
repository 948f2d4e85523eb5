package io.janela.ingress.webhook;

/**
 * How a signed webhook body ended.
 *
 * @param status what to answer Meta
 * @param published records Kafka acknowledged (dead letters not counted)
 */
record IngestionOutcome(Status status, int published) {

    public enum Status {
        /** Every item published and acknowledged: 200. */
        ACCEPTED,
        /** The body, or some of its items, could not be published and went to the dead-letter topic: 200. */
        DEAD_LETTERED,
        /** Kafka did not acknowledge everything in time: 503, and Meta retries. */
        UNAVAILABLE
    }

    static IngestionOutcome unavailable(int published) {
        return new IngestionOutcome(Status.UNAVAILABLE, published);
    }
}
