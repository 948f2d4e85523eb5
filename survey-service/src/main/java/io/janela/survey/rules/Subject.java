package io.janela.survey.rules;

import java.time.Instant;

/**
 * Who a survey goes to and what it is about, fixed when it is triggered: the rating is credited to the team and agent
 * captured here, never to whoever is on the contact later.
 *
 * @param phoneNumberId the business phone number
 * @param contactId the contact id of the contact key (business-scoped user id, else wa_id)
 * @param recipientPhone the recipient's phone number in E.164 with {@code +}, when known
 * @param recipientUserId the recipient's business-scoped user id, when known
 * @param team the team that resolved the conversation, if any
 * @param agentId the agent who resolved it, if any
 * @param reference what the conversation was about (an order or ticket number): the template names it
 * @param language the customer's language (a key of the configured texts), if known
 * @param resolutionId the ConversationResolution's id, if it had one
 * @param conversationOpenedAt the opening time of the window the survey belongs to, if known: one survey per window
 */
public record Subject(
        String phoneNumberId,
        String contactId,
        String recipientPhone,
        String recipientUserId,
        String team,
        String agentId,
        String reference,
        String language,
        String resolutionId,
        Instant conversationOpenedAt) {

    public Subject withConversation(Instant openedAt) {
        return new Subject(
                phoneNumberId,
                contactId,
                recipientPhone,
                recipientUserId,
                team,
                agentId,
                reference,
                language,
                resolutionId,
                openedAt);
    }
}
