package io.janela.window.tracking;

import io.janela.contract.ContactKey;
import io.janela.window.tracking.WindowMetrics.Source;
import java.time.Duration;
import java.time.Instant;

/**
 * The contract an input record must keep before the rules see it. A record that breaks it is counted
 * ({@code janela.window.records.invalid}) and refused with an {@link InvalidRecordException}, which the processing
 * exception handler turns into a dead letter with the reason; nothing of the record reaches the state.
 */
final class RecordChecks {

    private final WindowMetrics metrics;
    private final Duration maxClockSkew;

    RecordChecks(WindowMetrics metrics, Duration maxClockSkew) {
        this.metrics = metrics;
        this.maxClockSkew = maxClockSkew;
    }

    /**
     * The record's key as a contact key, which must name the record's business phone number and, when given, its
     * contact.
     */
    ContactKey contactKey(String key, String phoneNumberId, String contactId, Source source) {
        ContactKey parsed;
        try {
            parsed = ContactKey.parse(key);
        } catch (IllegalArgumentException | NullPointerException e) {
            // Its own reason code; the message names the shape, never the key (a key may hold a phone number).
            throw invalid(
                    source,
                    InvalidRecordException.Reason.BAD_KEY,
                    "the key is not a contact key {phoneNumberId}:{contactId}");
        }
        if (!parsed.phoneNumberId().equals(phoneNumberId)) {
            throw invalid(
                    source,
                    InvalidRecordException.Reason.KEY_MISMATCH,
                    "the key names another business phone number than the record (key " + parsed.phoneNumberId()
                            + ", record " + phoneNumberId + ")");
        }
        if (contactId != null && !parsed.contactId().equals(contactId)) {
            // The ids themselves stay out of the message: a contact id may be a phone number.
            throw invalid(
                    source,
                    InvalidRecordException.Reason.KEY_MISMATCH,
                    "the key names another contact than the record's contactId");
        }
        return parsed;
    }

    void requireId(String messageId, Source source) {
        if (messageId == null || messageId.isBlank()) {
            throw invalid(source, InvalidRecordException.Reason.MISSING_ID, "the record has no message id");
        }
    }

    void requireNotFuture(Instant at, Instant now, Source source) {
        if (at.isAfter(now.plus(maxClockSkew))) {
            throw invalid(
                    source,
                    InvalidRecordException.Reason.FUTURE_TIMESTAMP,
                    "Meta's timestamp " + at + " is " + Duration.between(now, at) + " ahead of the clock (allowed: "
                            + maxClockSkew + ")");
        }
    }

    private InvalidRecordException invalid(Source source, InvalidRecordException.Reason reason, String message) {
        metrics.invalid(source, reason);
        return new InvalidRecordException(reason, message);
    }
}
