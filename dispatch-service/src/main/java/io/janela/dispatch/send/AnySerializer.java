package io.janela.dispatch.send;

import io.janela.avro.DispatchResult;
import io.janela.avro.SendJournalEntry;
import io.janela.dispatch.topics.DispatchTopics;
import org.apache.kafka.common.serialization.Serializer;

/** The sender's one producer writes results and journal entries: each value with its own topic's serializer. */
final class AnySerializer implements Serializer<Object> {

    private final Serializer<DispatchResult> results;
    private final Serializer<SendJournalEntry> journal;

    AnySerializer(DispatchTopics topics) {
        this.results = topics.shared().dispatchResults().valueSerde().serializer();
        this.journal = topics.sendJournal().valueSerde().serializer();
    }

    @Override
    public byte[] serialize(String topic, Object value) {
        return switch (value) {
            case null -> null;
            case DispatchResult result -> results.serialize(topic, result);
            case SendJournalEntry entry -> journal.serialize(topic, entry);
            default -> throw new IllegalArgumentException("the sender does not write " + value.getClass());
        };
    }
}
