package io.janela.window.tracking;

/**
 * A record that breaks the topic's contract. Thrown from processing, it sends the record to the window dead-letter
 * topic with this message as the cause ({@code DeadLetterProcessingExceptionHandler}), and processing goes on.
 */
final class InvalidRecordException extends RuntimeException {

    enum Reason {
        /** The key is not {@code {phoneNumberId}:{contactId}}. */
        BAD_KEY,
        /** The key names another business number or contact than the record. */
        KEY_MISMATCH,
        /** Meta's timestamp lies further in the future than clocks disagree. */
        FUTURE_TIMESTAMP,
        /** A required id is blank. */
        MISSING_ID
    }

    private final Reason reason;

    InvalidRecordException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }
}
