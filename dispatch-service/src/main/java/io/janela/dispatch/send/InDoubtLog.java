package io.janela.dispatch.send;

import java.util.Locale;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The log line of every settlement of a send in doubt, one per settlement, structured: with the service's structured
 * logging (ECS in deploy/) its key-value pairs are fields of their own, {@code request_id}, {@code send_kind}
 * (primary, fallback), {@code settlement} (confirmed, resent, send_in_doubt, retries_exhausted), {@code attempt} (the
 * attempt in doubt), {@code in_doubt_since} (when that attempt was made) and {@code phone_number_id} (the business
 * number's Graph id, not a phone number). Never the recipient or the message.
 */
final class InDoubtLog {

    /** A status webhook proved Meta accepted it: SENT, not sent again. */
    static final String CONFIRMED = "confirmed";
    /** Statuses of the number's later sends came on time without its own: sent again. */
    static final String RESENT = "resent";
    /** No evidence within the maximum wait (or not sent again, as configured): FAILED SEND_IN_DOUBT. */
    static final String SEND_IN_DOUBT = "send_in_doubt";
    /** Evidence that it was lost, but no attempt left: FAILED RETRIES_EXHAUSTED. */
    static final String RETRIES_EXHAUSTED = "retries_exhausted";

    private InDoubtLog() {}

    static void settled(LoggingEventBuilder event, Pending pending, String settlement, String what) {
        event.setMessage("Request {} ({}) in doubt since attempt {} at {}: {}")
                .addArgument(pending.requestId())
                .addArgument(pending.command.getKind())
                .addArgument(pending.attempts)
                .addArgument(pending.inDoubtSince)
                .addArgument(what)
                .addKeyValue("request_id", pending.requestId())
                .addKeyValue("send_kind", pending.command.getKind().name().toLowerCase(Locale.ROOT))
                .addKeyValue("settlement", settlement)
                .addKeyValue("attempt", pending.attempts)
                .addKeyValue("in_doubt_since", String.valueOf(pending.inDoubtSince))
                .addKeyValue("phone_number_id", pending.phoneNumberId())
                .log();
    }
}
