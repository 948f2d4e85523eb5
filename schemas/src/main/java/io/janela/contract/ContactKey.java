package io.janela.contract;

import java.util.Objects;

/**
 * The key of every per-contact topic and store: {@code {phoneNumberId}:{contactId}}. A window belongs to one business
 * phone number and one user; the contact id is the user's business-scoped user id, or the {@code wa_id} when Meta
 * sent none. Keying by it keeps one contact's records in order on one partition.
 *
 * <p>The phone number id is Meta's numeric id and never holds a colon; the first colon separates the two parts.
 *
 * <p>Errors say what is wrong with a key, never what it holds: a contact id may be a phone number ({@code wa_id}), and
 * these messages reach logs and dead-letter headers.
 *
 * @param phoneNumberId the business phone number id ({@code metadata.phone_number_id})
 * @param contactId the user's business-scoped user id or wa_id
 */
public record ContactKey(String phoneNumberId, String contactId) {

    public static final char SEPARATOR = ':';

    public ContactKey {
        requirePart("phone number id", phoneNumberId);
        requirePart("contact id", contactId);
        if (phoneNumberId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("a phone number id has no '" + SEPARATOR + "'");
        }
    }

    /** Parses {@code {phoneNumberId}:{contactId}}; an {@link IllegalArgumentException} says what is wrong. */
    public static ContactKey parse(String key) {
        Objects.requireNonNull(key, "contact key");
        int separator = key.indexOf(SEPARATOR);
        if (separator < 0) {
            throw new IllegalArgumentException("a contact key is {phoneNumberId}" + SEPARATOR + "{contactId}; got "
                    + key.length() + " characters without a '" + SEPARATOR + "'");
        }
        return new ContactKey(key.substring(0, separator), key.substring(separator + 1));
    }

    /** {@code {phoneNumberId}:{contactId}}. */
    public String format() {
        return phoneNumberId + SEPARATOR + contactId;
    }

    @Override
    public String toString() {
        return format();
    }

    private static void requirePart(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("a contact key needs a " + what);
        }
        if (!value.strip().equals(value)) {
            throw new IllegalArgumentException("the " + what + " of a contact key has surrounding spaces");
        }
    }
}
