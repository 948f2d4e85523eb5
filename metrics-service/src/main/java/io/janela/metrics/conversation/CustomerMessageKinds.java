package io.janela.metrics.conversation;

import io.janela.avro.InboundMessageType;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which customer messages wait for an answer. The same set that opens and refreshes the customer service window
 * (DESIGN.md §4): a message the customer wrote to the business. Reactions, system notices (number or id changed),
 * unsupported messages, edits, deletions and welcome requests neither refresh the window nor ask for a reply, so a
 * business that does not answer a thumbs-up is not slow.
 */
final class CustomerMessageKinds {

    private static final Set<InboundMessageType> AWAITING_REPLY = EnumSet.of(
            InboundMessageType.TEXT,
            InboundMessageType.IMAGE,
            InboundMessageType.VIDEO,
            InboundMessageType.AUDIO,
            InboundMessageType.DOCUMENT,
            InboundMessageType.STICKER,
            InboundMessageType.INTERACTIVE,
            InboundMessageType.BUTTON,
            InboundMessageType.LOCATION,
            InboundMessageType.CONTACTS,
            InboundMessageType.ORDER);

    private CustomerMessageKinds() {}

    /** True when a message of this type waits for a business answer and refreshes the service window. */
    static boolean awaitsReply(InboundMessageType type) {
        return type != null && AWAITING_REPLY.contains(type);
    }
}
