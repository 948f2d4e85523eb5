package io.janela.sandbox.faults;

/**
 * An error to answer the next {@code count} sends with, optionally only from one business number or to one
 * recipient.
 *
 * @param phoneNumberId only sends from this number; null: any
 * @param recipient only sends to this recipient (phone number digits or user id); null: any
 * @param code the Graph error code; null with a 5xx status: a bare gateway error without a Graph body
 * @param httpStatus the HTTP status; null: Meta's usual one for the code
 * @param mode how the error shows: in the response ({@code SYNC}), as a {@code failed} status webhook after an HTTP 200
 *     ({@code ASYNC}), or by no answer at all ({@code TIMEOUT}: the message is not accepted)
 * @param count how many sends it applies to
 * @param details {@code error_data.details}; null: a default sentence
 */
public record Fault(
        String phoneNumberId,
        String recipient,
        Integer code,
        Integer httpStatus,
        Mode mode,
        int count,
        String details) {

    public Fault {
        mode = mode == null ? Mode.SYNC : mode;
        count = count <= 0 ? 1 : count;
        if (code == null && mode != Mode.TIMEOUT && (httpStatus == null || httpStatus < 500)) {
            throw new IllegalArgumentException("a fault needs a code, a 5xx httpStatus, or mode TIMEOUT");
        }
    }

    public enum Mode {
        SYNC,
        ASYNC,
        TIMEOUT
    }

    boolean matches(String fromPhoneNumberId, String to) {
        return (phoneNumberId == null || phoneNumberId.equals(fromPhoneNumberId))
                && (recipient == null || recipient.equals(to));
    }

    Fault used() {
        return new Fault(phoneNumberId, recipient, code, httpStatus, mode, count - 1, details);
    }
}
