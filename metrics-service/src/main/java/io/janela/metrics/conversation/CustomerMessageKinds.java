package io.janela.metrics.conversation;

import io.janela.avro.InboundMessage;
import io.janela.avro.InboundMessageType;
import io.janela.avro.InboundReply;
import io.janela.contract.QualifyingMessageTypes;
import io.janela.contract.SurveyAnswers;

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

    /**
     * True when this message waits for a business answer: a type that does, and not a tap on a satisfaction survey
     * (a list row or quick reply whose id or payload is {@code csat:…}, {@link SurveyAnswers}). A survey answer
     * refreshes the window (the window-service counts it, as Meta does) but asks nothing: it must not start a
     * response-time clock or leave the customer waiting when the window closes. A free-text answer ("5") cannot be
     * told apart here without the survey's state and still counts as a customer message.
     */
    static boolean awaitsReply(InboundMessage message) {
        return !isSurveyTap(message) && awaitsReply(message.getType());
    }

    /**
     * True for a tap on a satisfaction survey: a list row or quick reply whose id or payload is {@code csat:…}
     * ({@link SurveyAnswers}), of a type that refreshes the window. The conversation step keeps it as a survey answer,
     * so that a window it opens is told apart from a conversation.
     */
    static boolean isSurveyTap(InboundMessage message) {
        InboundReply reply = message.getReply();
        return reply != null
                && (SurveyAnswers.isSurveyCode(reply.getId()) || SurveyAnswers.isSurveyCode(reply.getPayload()))
                && awaitsReply(message.getType());
    }
}
