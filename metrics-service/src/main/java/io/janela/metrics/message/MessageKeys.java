package io.janela.metrics.message;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageStatus;
import io.janela.contract.ContactKey;
import java.util.Objects;

/**
 * The key the message step reads its inputs by, which is also its store key: {@code {phoneNumberId}:{wamid}} for a
 * status and for a SENT dispatch result that names Meta's wamid; {@code {phoneNumberId}:request:{requestId}} (with
 * {@code :fallback} for the fallback template's send) where the wamid is not known: a send the Cloud API refused, or a
 * SENT result whose answer carried none. Every record of one message so reaches one task, whatever contact key it
 * arrived with (a result keyed by phone number, statuses by business-scoped user id).
 *
 * <p>Re-keyed by message, a record no longer says its contact in its key: {@link #naming} writes the contact it was
 * resolved to into the record's {@code contactId} first, so that the step's outputs keep their contact keys.
 */
public final class MessageKeys {

    private MessageKeys() {}

    /** A status's message key; a status without a message id is refused (to the dead-letter topic). */
    public static String of(MessageStatus status) {
        if (status.getMessageId() == null || status.getMessageId().isBlank()) {
            throw new IllegalArgumentException("a status without a message id");
        }
        return status.getPhoneNumberId() + ':' + status.getMessageId();
    }

    /** A SENT or FAILED dispatch result's message key. */
    public static String of(DispatchResult result) {
        return result.getOutcome() == DispatchOutcome.SENT
                ? result.getPhoneNumberId() + ':' + DispatchMeasurements.messageId(result)
                : DispatchMeasurements.requestScope(result);
    }

    /** The status naming the contact of {@code contactKey} (the key it arrived with, or resolved to). */
    public static MessageStatus naming(String contactKey, MessageStatus status) {
        String contactId = ContactKey.parse(contactKey).contactId();
        return Objects.equals(contactId, status.getContactId())
                ? status
                : MessageStatus.newBuilder(status).setContactId(contactId).build();
    }

    /** The result naming the contact of {@code contactKey} (dispatch's, the alias's, or the phone number's). */
    public static DispatchResult naming(String contactKey, DispatchResult result) {
        String contactId = ContactKey.parse(contactKey).contactId();
        return Objects.equals(contactId, result.getContactId())
                ? result
                : DispatchResult.newBuilder(result).setContactId(contactId).build();
    }
}
