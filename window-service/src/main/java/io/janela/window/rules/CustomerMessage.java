package io.janela.window.rules;

import io.janela.avro.InboundMessageType;
import java.time.Instant;
import java.util.Objects;

/**
 * A message the customer sent, as the window rules need it.
 *
 * @param messageId the wamid (duplicates share it)
 * @param at Meta's timestamp: when the customer sent it
 * @param viaReferral it came from a click-to-WhatsApp ad (it carries a referral)
 * @param inGroup it was written in a group chat, whose window is the group's, not this contact's
 * @param userId the business-scoped user id, if Meta sent one
 * @param waId the customer's phone number (wa_id), if Meta sent one; for a number change, the new number
 */
public record CustomerMessage(
        String messageId,
        Instant at,
        InboundMessageType type,
        boolean viaReferral,
        boolean inGroup,
        String userId,
        String waId) {

    public CustomerMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(type, "type");
    }
}
