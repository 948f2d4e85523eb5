package io.janela.dispatch.rules;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.MessageCategory;
import io.janela.avro.PlannedSend;
import io.janela.avro.RestrictionType;
import java.time.Instant;

/** What the rules decided for one request. */
public sealed interface Decision {

    /**
     * Send {@code primary} to {@code to} (a phone number) or else {@code recipientUserId}.
     *
     * @param fallback the fallback template, checked, for a 131047 answer to a free-form primary; null when none
     */
    record Send(PlannedSend primary, PlannedSend fallback, String to, String recipientUserId) implements Decision {}

    /**
     * Do not send: {@code outcome} is REJECTED or EXPIRED.
     *
     * @param restriction ACCOUNT_RESTRICTED: the account restriction that forbids it; else null
     * @param retryAfter the earliest time the same request could go, when the refusal has an end (a restriction's
     *     expiry, a marketing hold, the messaging limit's next room); else null
     */
    record Refuse(
            DispatchOutcome outcome,
            DispatchReason reason,
            String detail,
            MessageCategory category,
            RestrictionType restriction,
            Instant retryAfter)
            implements Decision {

        public Refuse(DispatchOutcome outcome, DispatchReason reason, String detail, MessageCategory category) {
            this(outcome, reason, detail, category, null, null);
        }
    }

    /**
     * Not yet: a free-form request found no open window, and its grace period to let the window state catch up has not
     * run out ({@link #WINDOW}); or a template request found its business account's catalog empty, before the account's
     * first template sync ({@link #CATALOG}).
     *
     * @param waitingFor what it waits for, a metric label: {@code window} or {@code catalog}
     */
    record Wait(String waitingFor) implements Decision {
        public static final String WINDOW = "window";
        public static final String CATALOG = "catalog";
    }
}
