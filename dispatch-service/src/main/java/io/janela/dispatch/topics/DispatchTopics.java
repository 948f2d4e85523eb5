package io.janela.dispatch.topics;

import io.janela.avro.ParkedRequests;
import io.janela.avro.SendCommand;
import io.janela.avro.SendJournalEntry;
import io.janela.avro.Template;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.config.DispatchProperties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics dispatch reads and writes: the shared ones ({@link JanelaTopics}) and its own, with their serdes, and the
 * serde of its parking stores.
 *
 * @param shared the topics of DESIGN.md §2
 * @param sendCommands decided sends; key contact key
 * @param sendJournal the sender's journal (compacted); key {@code {kind}:{requestId}}
 * @param templateSync templates listed by the Graph API sync; key template key
 * @param parkedRequests the value serde of the parking stores
 */
public record DispatchTopics(
        JanelaTopics shared,
        TopicDescriptor<String, SendCommand> sendCommands,
        TopicDescriptor<String, SendJournalEntry> sendJournal,
        TopicDescriptor<String, Template> templateSync,
        Serde<ParkedRequests> parkedRequests) {

    public static DispatchTopics create(JanelaTopics shared, DispatchProperties.Topics names, ValueSerdes values) {
        Serde<String> keys = Serdes.String();
        return new DispatchTopics(
                shared,
                new TopicDescriptor<>(names.sendCommands(), keys, values.forType(SendCommand.class), false),
                new TopicDescriptor<>(names.sendJournal(), keys, values.forType(SendJournalEntry.class), true),
                new TopicDescriptor<>(names.templateSync(), keys, values.forType(Template.class), true),
                values.forType(ParkedRequests.class));
    }
}
