package io.janela.metrics.conversation;

import io.janela.avro.InboundMessageType;
import io.janela.contract.QualifyingMessageTypes;

/**
 * Which customer messages wait for an answer: the ones that open and refresh the customer service window
 * ({@link QualifyingMessageTypes}). Reactions, system notices, unsupported messages, edits, deletions and welcome
 * requests neither refresh the window nor ask for a reply, so a business that does not answer a thumbs-up is not slow.
 */
final class CustomerMessageKinds {

    private CustomerMessageKinds() {}

    /** True when a message of this type waits for a business answer and refreshes the service window. */
    static boolean awaitsReply(InboundMessageType type) {
        return QualifyingMessageTypes.qualifies(type);
    }
}
