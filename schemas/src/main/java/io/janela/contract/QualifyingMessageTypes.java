package io.janela.contract;

import io.janela.avro.InboundMessageType;
import java.util.EnumSet;
import java.util.Set;

/**
 * The customer messages that open or refresh the customer service window (DESIGN.md §4, WHATSAPP.md §1.1), and so
 * the ones that wait for a business answer: messages the customer wrote. Not qualifying: reactions and unsupported
 * messages (Meta does not list them as opening the window), system notices (a number change is not the user
 * writing), edits and revocations of earlier messages (not new messages), request_welcome (the user opened the chat
 * but wrote nothing) and anything unknown. One set for every service, so that the window-service's "open" and the
 * metrics-service's "waiting for an answer" cannot drift apart.
 */
public final class QualifyingMessageTypes {

    /** Meta's user-initiated message types. */
    public static final Set<InboundMessageType> META = Set.copyOf(EnumSet.of(
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
            InboundMessageType.ORDER));

    private QualifyingMessageTypes() {}

    /** True when a customer message of this type opens or refreshes the window and waits for an answer. */
    public static boolean qualifies(InboundMessageType type) {
        return type != null && META.contains(type);
    }
}
