package io.janela.metrics.conversation;

import io.janela.avro.EchoMessageType;
import io.janela.avro.MessageEcho;
import io.janela.avro.ResponderKind;

/**
 * Messages the business sent from the WhatsApp Business app on a coexistence number ({@code smb_message_echoes},
 * WHATSAPP.md §11.2, whatsapp.message-echoes): a person answering, so a business message of responder kind
 * {@link ResponderKind#APP} for response time, first response and response rate. The window-service makes the same
 * choice for the window (it marks the window replied and moves no expiry).
 */
public final class AppReplies {

    private AppReplies() {}

    /**
     * Whether an echo answers the customer: any message sent from the app except a reaction, an edit or a deletion
     * of an earlier one (the window-service's rule, {@code InputFacts.isReply}). A type Meta adds tomorrow
     * ({@code UNKNOWN}) counts, as an unknown message type the business sent is still something it sent.
     */
    public static boolean isReply(MessageEcho echo) {
        if (echo == null) {
            return false;
        }
        EchoMessageType type = echo.getType();
        return type != EchoMessageType.REACTION && type != EchoMessageType.EDIT && type != EchoMessageType.REVOKE;
    }

    /** Meta named the customer only by phone number: the record is keyed by it and must find its contact. */
    public static boolean keyedByPhoneNumber(MessageEcho echo) {
        return echo.getUserId() == null && echo.getWaId() != null;
    }

    /** The echo as a business message at Meta's timestamp; the conversation step sets its arrival time. */
    public static BusinessMessage businessMessage(MessageEcho echo) {
        return new BusinessMessage(echo.getMessageId(), echo.getTimestamp(), ResponderKind.APP, 0L);
    }
}
