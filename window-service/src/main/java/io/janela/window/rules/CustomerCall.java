package io.janela.window.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * A call that opens or refreshes the customer service window like a qualifying message (WHATSAPP.md §11.1): a user's
 * call ({@code connect}, answered or not), or a call the business placed and the user accepted ({@code ACCEPTED}).
 * Unlike a message, nobody waits for an answer to it.
 *
 * @param callId Meta's call id ({@code wacid.…}); a retried webhook repeats it
 * @param at Meta's timestamp of the connect or of the ACCEPTED status
 * @param userId the business-scoped user id, if Meta sent one
 * @param waId the user's phone number (wa_id), if Meta sent one
 */
public record CustomerCall(String callId, Instant at, String userId, String waId) {

    public CustomerCall {
        Objects.requireNonNull(callId, "callId");
        Objects.requireNonNull(at, "at");
    }
}
