package io.janela.contract;

/**
 * The name of every topic of DESIGN.md §2, plus the dead-letter topics of the window, metrics and survey services
 * (where records they cannot read go, as whatsapp.outbound-requests.dead-letter is dispatch's) and the SLA notices of
 * the metrics-service. Spring services bind it from {@code janela.topics.*}
 * ({@code janela.topics.inbound-messages=...}); a name left out keeps its default.
 */
public record TopicNames(
        String inboundMessages,
        String messageStatuses,
        String templateEvents,
        String userPreferences,
        String webhooksDeadLetter,
        String windowState,
        String windowEvents,
        String contactAliases,
        String outboundRequests,
        String outboundRequestsDeadLetter,
        String templates,
        String dispatchResults,
        String windowDeadLetter,
        String metricsDeadLetter,
        String callEvents,
        String messageEchoes,
        String accountEvents,
        String conversationResolutions,
        String surveyEvents,
        String slaEvents,
        String surveyDeadLetter) {

    public TopicNames {
        inboundMessages = orDefault(inboundMessages, "whatsapp.inbound-messages");
        messageStatuses = orDefault(messageStatuses, "whatsapp.message-statuses");
        templateEvents = orDefault(templateEvents, "whatsapp.template-events");
        userPreferences = orDefault(userPreferences, "whatsapp.user-preferences");
        webhooksDeadLetter = orDefault(webhooksDeadLetter, "whatsapp.webhooks.dead-letter");
        windowState = orDefault(windowState, "whatsapp.window-state");
        windowEvents = orDefault(windowEvents, "whatsapp.window-events");
        contactAliases = orDefault(contactAliases, "whatsapp.contact-aliases");
        outboundRequests = orDefault(outboundRequests, "whatsapp.outbound-requests");
        outboundRequestsDeadLetter = orDefault(outboundRequestsDeadLetter, "whatsapp.outbound-requests.dead-letter");
        templates = orDefault(templates, "whatsapp.templates");
        dispatchResults = orDefault(dispatchResults, "whatsapp.dispatch-results");
        windowDeadLetter = orDefault(windowDeadLetter, "whatsapp.window.dead-letter");
        metricsDeadLetter = orDefault(metricsDeadLetter, "whatsapp.metrics.dead-letter");
        callEvents = orDefault(callEvents, "whatsapp.call-events");
        messageEchoes = orDefault(messageEchoes, "whatsapp.message-echoes");
        accountEvents = orDefault(accountEvents, "whatsapp.account-events");
        conversationResolutions = orDefault(conversationResolutions, "whatsapp.conversation-resolutions");
        surveyEvents = orDefault(surveyEvents, "whatsapp.survey-events");
        slaEvents = orDefault(slaEvents, "whatsapp.sla-events");
        surveyDeadLetter = orDefault(surveyDeadLetter, "whatsapp.survey.dead-letter");
    }

    /** Every default name. */
    public static TopicNames defaults() {
        return new TopicNames(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    private static String orDefault(String name, String fallback) {
        return name == null || name.isBlank() ? fallback : name.strip();
    }
}
