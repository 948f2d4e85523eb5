package io.janela.metrics.streams;

/** The measurements a late record can find already emitted, as the {@code measurement} tag of the late counter. */
public enum LateMeasurement {
    RESPONSE_TIME,
    FIRST_RESPONSE,
    WINDOW_CLOSED,
    DELIVERY_LATENCY,
    READ_LATENCY,
    FAILURE
}
