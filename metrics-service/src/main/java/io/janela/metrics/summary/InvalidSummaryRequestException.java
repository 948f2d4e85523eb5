package io.janela.metrics.summary;

/** A summary request that cannot be answered as asked; the message says why, for the 400 answer. */
class InvalidSummaryRequestException extends RuntimeException {

    InvalidSummaryRequestException(String message) {
        super(message);
    }
}
