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
import org.apache.avro.Schema;

/**
 * The contract as a schema registry holds it: one subject per Avro topic of the contract ({@code <topic>-value},
 * Confluent's TopicNameStrategy), with the schema this build's classes write. The dead-letter topics hold raw bytes
 * and have no subject. {@code ContractSubjectsTest} fails when a topic of {@link JanelaTopics} is missing here.
 */
public final class ContractSubjects {

    /** One subject: the topic, the subject name and the current schema. */
    public record Subject(String topic, String subject, Schema schema) {}

    private ContractSubjects() {}

    public static List<Subject> all(TopicNames names) {
        return List.of(
                subject(names.inboundMessages(), InboundMessage.SCHEMA$),
                subject(names.messageStatuses(), MessageStatus.SCHEMA$),
                subject(names.templateEvents(), TemplateEvent.SCHEMA$),
                subject(names.userPreferences(), UserPreference.SCHEMA$),
                subject(names.windowState(), ContactWindow.SCHEMA$),
                subject(names.windowEvents(), WindowEvent.SCHEMA$),
                subject(names.contactAliases(), ContactAlias.SCHEMA$),
                subject(names.outboundRequests(), OutboundRequest.SCHEMA$),
                subject(names.templates(), Template.SCHEMA$),
                subject(names.dispatchResults(), DispatchResult.SCHEMA$),
                subject(names.callEvents(), CallEvent.SCHEMA$),
                subject(names.messageEchoes(), MessageEcho.SCHEMA$),
                subject(names.accountEvents(), AccountEvent.SCHEMA$),
                subject(names.conversationResolutions(), ConversationResolution.SCHEMA$),
                subject(names.surveyEvents(), SurveyEvent.SCHEMA$),
                subject(names.slaEvents(), SlaEvent.SCHEMA$));
    }

    private static Subject subject(String topic, Schema schema) {
        return new Subject(topic, topic + "-value", schema);
    }
}
