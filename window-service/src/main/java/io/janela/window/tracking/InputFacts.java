package io.janela.window.tracking;

import io.janela.avro.CallDirection;
import io.janela.avro.CallEvent;
import io.janela.avro.CallEventType;
import io.janela.avro.CallStatus;
import io.janela.avro.DeliveryStatus;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.EchoMessageType;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageCategory;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.MetaError;
import io.janela.avro.PricingType;
import io.janela.avro.ResultKind;
import io.janela.window.rules.BusinessMessage;
import io.janela.window.rules.CustomerCall;
import io.janela.window.rules.CustomerMessage;
import io.janela.window.rules.FepConfirmation;
import io.janela.window.rules.IdentitySighting;
import io.janela.window.rules.MetaClose;
import java.time.Instant;

/** What the window rules learn from each input record (WHATSAPP.md §3.5, §3.6, DESIGN.md §4). */
final class InputFacts {

    /** Meta's "Re-engagement message": more than 24 hours since the customer last wrote. */
    static final int REENGAGEMENT_REQUIRED = 131047;

    private static final String GROUP = "group";

    private InputFacts() {}

    static CustomerMessage customerMessage(InboundMessage message) {
        // A number change (a system message) names the new number, but the new number is not this contact's: a
        // contact keyed by wa_id gets a new key with it, and Meta regenerates a business-scoped user id when the number
        // changes (WHATSAPP.md §1.3). The new number's own messages make its contact and, with a user id, its alias;
        // aliasing it here would send its failed statuses and phone-addressed requests to the old contact's window.
        return new CustomerMessage(
                message.getMessageId(),
                message.getTimestamp(),
                message.getType(),
                message.getReferral() != null,
                message.getGroupId() != null,
                message.getUserId(),
                message.getWaId());
    }

    /**
     * Whether a status webhook can change a window: a {@code sent} (the business wrote; it may carry both ids and an
     * FEP confirmation), a {@code failed} with 131047, or any status confirming an FEP expiry. Delivered, read and
     * other failures cannot, and are dropped before they cost a store read or a repartition.
     */
    static boolean matters(MessageStatus status) {
        return !GROUP.equals(status.getRecipientType())
                && (status.getStatus() == DeliveryStatus.SENT
                        || metaClose(status) != null
                        || fepConfirmation(status) != null);
    }

    /** A failed status sent to a phone number carries no user id: its key is the phone number, not the contact. */
    static boolean keyedByPhoneNumber(MessageStatus status) {
        return status.getRecipientUserId() == null;
    }

    static IdentitySighting identity(MessageStatus status) {
        if (status.getRecipientUserId() == null || status.getRecipientId() == null) {
            return null;
        }
        return new IdentitySighting(status.getRecipientUserId(), status.getRecipientId(), status.getTimestamp());
    }

    static BusinessMessage businessMessage(MessageStatus status) {
        return status.getStatus() == DeliveryStatus.SENT
                ? new BusinessMessage(status.getMessageId(), status.getTimestamp())
                : null;
    }

    static MetaClose metaClose(MessageStatus status) {
        if (status.getStatus() != DeliveryStatus.FAILED) {
            return null;
        }
        for (MetaError error : status.getErrors()) {
            if (error.getCode() == REENGAGEMENT_REQUIRED) {
                return new MetaClose(status.getTimestamp());
            }
        }
        return null;
    }

    static FepConfirmation fepConfirmation(MessageStatus status) {
        if (status.getConversation() == null || status.getConversation().getExpiresAt() == null) {
            return null;
        }
        boolean freeEntryPoint =
                status.getPricing() != null && status.getPricing().getType() == PricingType.FREE_ENTRY_POINT
                        || status.getConversation().getOriginType() == MessageCategory.REFERRAL_CONVERSION;
        return freeEntryPoint
                ? new FepConfirmation(
                        status.getTimestamp(), status.getConversation().getExpiresAt())
                : null;
    }

    /** Whether a dispatch result can change a window: a message sent, or a send Meta refused with 131047. */
    static boolean matters(DispatchResult result) {
        return businessMessage(result) != null || metaClose(result) != null;
    }

    /** A request dispatch could not resolve to a contact is keyed by the phone number it was addressed to. */
    static boolean keyedByPhoneNumber(DispatchResult result) {
        return result.getContactId() == null;
    }

    /**
     * A message dispatch sent, at the time Meta accepted it. The sent webhook reports the same wamid later with
     * Meta's time; the rules keep the earlier of the two.
     */
    static BusinessMessage businessMessage(DispatchResult result) {
        if (result.getKind() != ResultKind.OUTCOME
                || result.getOutcome() != DispatchOutcome.SENT
                || result.getWamid() == null) {
            return null;
        }
        Instant at = result.getSentAt() != null ? result.getSentAt() : result.getDecidedAt();
        return new BusinessMessage(result.getWamid(), at);
    }

    /**
     * Meta refused a free-form send with 131047: in its answer, with no webhook to follow (a FAILED result, or any
     * result of the fallback template that replaced the refused message, which names the refusal in {@code
     * primaryRefusedWith} and {@code primaryRefusedAt}), or in a failed status that dispatch relayed (DELIVERY_FAILED).
     * A relayed failure carries Meta's time of the status in {@code statusAt}; its {@code decidedAt} is when dispatch
     * matched the webhook, which may be long after a customer reopened the window. A refusal in the answer has no Meta
     * timestamp: the time dispatch got it stands in ({@code primaryRefusedAt}, or a FAILED result's {@code decidedAt}).
     */
    static MetaClose metaClose(DispatchResult result) {
        Integer refusedWith = result.getPrimaryRefusedWith();
        if (refusedWith != null && refusedWith == REENGAGEMENT_REQUIRED && result.getPrimaryRefusedAt() != null) {
            // The free-form message was refused in the answer and the fallback template went (or was tried) instead.
            return new MetaClose(result.getPrimaryRefusedAt());
        }
        Integer code = result.getMetaErrorCode();
        if (code == null || code != REENGAGEMENT_REQUIRED) {
            return null;
        }
        return new MetaClose(result.getStatusAt() != null ? result.getStatusAt() : result.getDecidedAt());
    }

    /**
     * Whether a call opens or refreshes the window (WHATSAPP.md §11.1): a user's call when it connects (not its
     * terminate, which would count it twice and later), and a business call's ACCEPTED status. A ringing or rejected
     * business call, or one Meta reports in a shape not known here, does not.
     */
    static boolean opensWindow(CallEvent call) {
        return call.getEvent() == CallEventType.CONNECT && call.getDirection() == CallDirection.USER_INITIATED
                || call.getEvent() == CallEventType.STATUS && call.getStatus() == CallStatus.ACCEPTED;
    }

    /** A call whose user Meta named only by phone number is keyed by it, not by the contact. */
    static boolean keyedByPhoneNumber(CallEvent call) {
        return call.getUserId() == null;
    }

    static CustomerCall customerCall(CallEvent call) {
        return new CustomerCall(call.getCallId(), call.getTimestamp(), call.getUserId(), call.getWaId());
    }

    /**
     * Whether an echo is a reply: any message the business sent from the app, except a reaction, an edit or a
     * revocation (which change an earlier message). Unknown types count: the metrics-service reads them the same way.
     */
    static boolean isReply(MessageEcho echo) {
        EchoMessageType type = echo.getType();
        return type != EchoMessageType.REACTION && type != EchoMessageType.EDIT && type != EchoMessageType.REVOKE;
    }

    /** An echo whose customer Meta named only by phone number is keyed by it, not by the contact. */
    static boolean keyedByPhoneNumber(MessageEcho echo) {
        return echo.getUserId() == null;
    }

    static BusinessMessage appReply(MessageEcho echo) {
        return new BusinessMessage(echo.getMessageId(), echo.getTimestamp());
    }
}
