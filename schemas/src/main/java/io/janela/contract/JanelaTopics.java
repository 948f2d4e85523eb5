package io.janela.contract;

import io.janela.avro.AccountEvent;
import io.janela.avro.CallEvent;
import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.ConversationResolution;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.OutboundRequest;
import io.janela.avro.SlaEvent;
import io.janela.avro.SurveyEvent;
import io.janela.avro.Template;
import io.janela.avro.TemplateEvent;
import io.janela.avro.UserPreference;
import io.janela.avro.WindowEvent;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The descriptors of every topic of DESIGN.md §2, built from the configured names and value serdes. Keys are
 * strings: contact keys ({@link ContactKey}) unless a method says otherwise. Dead-letter topics carry the original
 * bytes, whatever they were.
 */
public final class JanelaTopics {

    private final TopicDescriptor<String, InboundMessage> inboundMessages;
    private final TopicDescriptor<String, MessageStatus> messageStatuses;
    private final TopicDescriptor<String, TemplateEvent> templateEvents;
    private final TopicDescriptor<String, UserPreference> userPreferences;
    private final TopicDescriptor<byte[], byte[]> webhooksDeadLetter;
    private final TopicDescriptor<String, ContactWindow> windowState;
    private final TopicDescriptor<String, WindowEvent> windowEvents;
    private final TopicDescriptor<String, ContactAlias> contactAliases;
    private final TopicDescriptor<String, OutboundRequest> outboundRequests;
    private final TopicDescriptor<byte[], byte[]> outboundRequestsDeadLetter;
    private final TopicDescriptor<String, Template> templates;
    private final TopicDescriptor<String, DispatchResult> dispatchResults;
    private final TopicDescriptor<byte[], byte[]> windowDeadLetter;
    private final TopicDescriptor<byte[], byte[]> metricsDeadLetter;
    private final TopicDescriptor<String, CallEvent> callEvents;
    private final TopicDescriptor<String, MessageEcho> messageEchoes;
    private final TopicDescriptor<String, AccountEvent> accountEvents;
    private final TopicDescriptor<String, ConversationResolution> conversationResolutions;
    private final TopicDescriptor<String, SurveyEvent> surveyEvents;
    private final TopicDescriptor<String, SlaEvent> slaEvents;
    private final TopicDescriptor<byte[], byte[]> surveyDeadLetter;

    private JanelaTopics(TopicNames names, ValueSerdes values) {
        Serde<String> keys = Serdes.String();
        Serde<byte[]> bytes = Serdes.ByteArray();
        inboundMessages =
                new TopicDescriptor<>(names.inboundMessages(), keys, values.forType(InboundMessage.class), false);
        messageStatuses =
                new TopicDescriptor<>(names.messageStatuses(), keys, values.forType(MessageStatus.class), false);
        templateEvents =
                new TopicDescriptor<>(names.templateEvents(), keys, values.forType(TemplateEvent.class), false);
        userPreferences =
                new TopicDescriptor<>(names.userPreferences(), keys, values.forType(UserPreference.class), false);
        webhooksDeadLetter = new TopicDescriptor<>(names.webhooksDeadLetter(), bytes, bytes, false);
        windowState = new TopicDescriptor<>(names.windowState(), keys, values.forType(ContactWindow.class), true);
        windowEvents = new TopicDescriptor<>(names.windowEvents(), keys, values.forType(WindowEvent.class), false);
        contactAliases = new TopicDescriptor<>(names.contactAliases(), keys, values.forType(ContactAlias.class), true);
        // Written by company systems: the broker stamps them (TopicDescriptor#logAppendTime).
        outboundRequests = new TopicDescriptor<>(
                names.outboundRequests(), keys, values.forType(OutboundRequest.class), false, true);
        outboundRequestsDeadLetter = new TopicDescriptor<>(names.outboundRequestsDeadLetter(), bytes, bytes, false);
        templates = new TopicDescriptor<>(names.templates(), keys, values.forType(Template.class), true);
        dispatchResults =
                new TopicDescriptor<>(names.dispatchResults(), keys, values.forType(DispatchResult.class), false);
        windowDeadLetter = new TopicDescriptor<>(names.windowDeadLetter(), bytes, bytes, false);
        metricsDeadLetter = new TopicDescriptor<>(names.metricsDeadLetter(), bytes, bytes, false);
        callEvents = new TopicDescriptor<>(names.callEvents(), keys, values.forType(CallEvent.class), false);
        messageEchoes = new TopicDescriptor<>(names.messageEchoes(), keys, values.forType(MessageEcho.class), false);
        accountEvents = new TopicDescriptor<>(names.accountEvents(), keys, values.forType(AccountEvent.class), true);
        conversationResolutions = new TopicDescriptor<>(
                names.conversationResolutions(), keys, values.forType(ConversationResolution.class), false, true);
        surveyEvents = new TopicDescriptor<>(names.surveyEvents(), keys, values.forType(SurveyEvent.class), false);
        slaEvents = new TopicDescriptor<>(names.slaEvents(), keys, values.forType(SlaEvent.class), false);
        surveyDeadLetter = new TopicDescriptor<>(names.surveyDeadLetter(), bytes, bytes, false);
    }

    public static JanelaTopics create(TopicNames names, ValueSerdes values) {
        return new JanelaTopics(names, values);
    }

    /** Inbound customer messages; key contact key. */
    public TopicDescriptor<String, InboundMessage> inboundMessages() {
        return inboundMessages;
    }

    /** Status webhooks of business messages; key contact key. */
    public TopicDescriptor<String, MessageStatus> messageStatuses() {
        return messageStatuses;
    }

    /** Template status, category and quality updates; key {@link TemplateKey}. */
    public TopicDescriptor<String, TemplateEvent> templateEvents() {
        return templateEvents;
    }

    /** Marketing stop and resume; key contact key. */
    public TopicDescriptor<String, UserPreference> userPreferences() {
        return userPreferences;
    }

    /** Signed webhook bodies that could not be parsed, as received, with the cause in headers. */
    public TopicDescriptor<byte[], byte[]> webhooksDeadLetter() {
        return webhooksDeadLetter;
    }

    /** Current window state per contact (compacted); key contact key. */
    public TopicDescriptor<String, ContactWindow> windowState() {
        return windowState;
    }

    /** Window opened, closing soon and closed; key contact key. */
    public TopicDescriptor<String, WindowEvent> windowEvents() {
        return windowEvents;
    }

    /** Phone number → contact (compacted); key {@code {phoneNumberId}:{waId}}. */
    public TopicDescriptor<String, ContactAlias> contactAliases() {
        return contactAliases;
    }

    /** Send requests from company systems; any key. */
    public TopicDescriptor<String, OutboundRequest> outboundRequests() {
        return outboundRequests;
    }

    /** Outbound requests that could not be decoded or are invalid, as received, with the cause in headers. */
    public TopicDescriptor<byte[], byte[]> outboundRequestsDeadLetter() {
        return outboundRequestsDeadLetter;
    }

    /** The template catalog (compacted); key {@link TemplateKey}. */
    public TopicDescriptor<String, Template> templates() {
        return templates;
    }

    /** One outcome per outbound request; key contact key. */
    public TopicDescriptor<String, DispatchResult> dispatchResults() {
        return dispatchResults;
    }

    /** Records the window-service could not read or process, as received, with the cause in headers. */
    public TopicDescriptor<byte[], byte[]> windowDeadLetter() {
        return windowDeadLetter;
    }

    /** Records the metrics-service could not read or process, as received, with the cause in headers. */
    public TopicDescriptor<byte[], byte[]> metricsDeadLetter() {
        return metricsDeadLetter;
    }

    /** User calls (connect, terminate) and business-call statuses; key contact key. */
    public TopicDescriptor<String, CallEvent> callEvents() {
        return callEvents;
    }

    /** Messages the business sent from the WhatsApp Business app (coexistence); key contact key. */
    public TopicDescriptor<String, MessageEcho> messageEchoes() {
        return messageEchoes;
    }

    /** Account restrictions, messaging limit, number quality and throughput, user id changes (compacted); key {@link AccountEventKey}. */
    public TopicDescriptor<String, AccountEvent> accountEvents() {
        return accountEvents;
    }

    /** "This conversation is resolved", from company systems; any key. */
    public TopicDescriptor<String, ConversationResolution> conversationResolutions() {
        return conversationResolutions;
    }

    /** What happened to each satisfaction survey; key contact key. */
    public TopicDescriptor<String, SurveyEvent> surveyEvents() {
        return surveyEvents;
    }

    /** Response SLAs at risk or breached, windows closing while the customer waits; key contact key. */
    public TopicDescriptor<String, SlaEvent> slaEvents() {
        return slaEvents;
    }

    /** Records the survey-service could not read or process, as received, with the cause in headers. */
    public TopicDescriptor<byte[], byte[]> surveyDeadLetter() {
        return surveyDeadLetter;
    }

    /** Every topic, for creating them and for documentation. */
    public List<TopicDescriptor<?, ?>> all() {
        return List.of(
                inboundMessages,
                messageStatuses,
                templateEvents,
                userPreferences,
                webhooksDeadLetter,
                windowState,
                windowEvents,
                contactAliases,
                outboundRequests,
                outboundRequestsDeadLetter,
                templates,
                dispatchResults,
                windowDeadLetter,
                metricsDeadLetter,
                callEvents,
                messageEchoes,
                accountEvents,
                conversationResolutions,
                surveyEvents,
                slaEvents,
                surveyDeadLetter);
    }
}
