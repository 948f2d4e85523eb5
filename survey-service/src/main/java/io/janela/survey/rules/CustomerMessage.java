package io.janela.survey.rules;

import java.time.Instant;

/**
 * A customer's message, as far as surveys care.
 *
 * @param messageId its wamid
 * @param at Meta's time
 * @param conversational whether it continues the conversation (text, media, replies...; not a reaction, a system
 *     message, an unsupported one, an edit or a revoke): only such a message cancels a survey
 * @param contextMessageId the business message it replies to ({@code context.id}), if any
 * @param replyCode {@code reply.id} of a list or button reply, or {@code reply.payload} of a template quick reply
 * @param replyForm the kind of that reply (null without one)
 * @param text the text of a text message
 */
public record CustomerMessage(
        String messageId,
        Instant at,
        boolean conversational,
        String contextMessageId,
        String replyCode,
        AnswerForm replyForm,
        String text) {}
