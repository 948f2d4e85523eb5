package io.janela.dispatch.rules;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.MessageCategory;
import io.janela.avro.PlannedSend;

/** What the rules decided for one request. */
public sealed interface Decision {

    /**
     * Send {@code primary} to {@code to} (a phone number) or else {@code recipientUserId}.
     *
     * @param fallback the fallback template, checked, for a 131047 answer to a free-form primary; null when none
     */
    record Send(PlannedSend primary, PlannedSend fallback, String to, String recipientUserId) implements Decision {}

    /** Do not send: {@code outcome} is REJECTED or EXPIRED. */
    record Refuse(DispatchOutcome outcome, DispatchReason reason, String detail, MessageCategory category)
            implements Decision {}

    /**
     * Not yet: a free-form request found no open window, and its grace period to let the window state catch up has not
     * run out.
     */
    record Wait() implements Decision {}
}
