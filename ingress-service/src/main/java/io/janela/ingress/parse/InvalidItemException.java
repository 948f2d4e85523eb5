package io.janela.ingress.parse;

/**
 * An item of a webhook that cannot become a record (no message id, no timestamp, no identity...). Its message names
 * the missing or wrong field and never holds a value from the payload: it ends up in logs and dead-letter headers.
 */
final class InvalidItemException extends RuntimeException {

    InvalidItemException(String problem) {
        // No stack trace: this is an expected outcome of bad input, not a bug, and can happen once per item.
        super(problem, null, false, false);
    }
}
