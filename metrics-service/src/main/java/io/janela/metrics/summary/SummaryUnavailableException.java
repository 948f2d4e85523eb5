package io.janela.metrics.summary;

/** The summary cannot be read here now (Kafka Streams starting or rebalancing): try again shortly. */
class SummaryUnavailableException extends RuntimeException {

    public SummaryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
