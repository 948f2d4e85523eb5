package io.janela.dispatch.decision;

import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.contract.ContactKey;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Feeds the global store of marketing holds from whatsapp.dispatch-results: a result MARKETING_USER_LIMIT (Meta's
 * 131049, in the sender's answer or in a failed status webhook) holds its contact's marketing until its
 * {@code retryAfter}; a later hold extends it, an earlier one does not shorten it. A global store, so that the hold is
 * found whichever of the contact's names a later request is keyed by (they may fall on other partitions). Kafka
 * Streams runs this processor again when it restores the store.
 */
final class MarketingHoldsProcessor implements Processor<String, DispatchResult, Void, Void> {

    private KeyValueStore<String, Long> holds;

    /** The end of a contact's marketing hold: the latest of those under any of its names; null when none. */
    static Instant heldUntil(ReadOnlyKeyValueStore<String, Long> holds, Set<String> identities) {
        Long until = null;
        for (String identity : identities) {
            Long held = holds.get(identity);
            until = held == null || until != null && until >= held ? until : held;
        }
        return until == null ? null : Instant.ofEpochMilli(until);
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        holds = context.getStateStore(DecisionTopology.MARKETING_HOLDS_STORE);
    }

    @Override
    public void process(Record<String, DispatchResult> record) {
        DispatchResult result = record.value();
        if (result == null
                || result.getReason() != DispatchReason.MARKETING_USER_LIMIT
                || result.getRetryAfter() == null
                || result.getContactId() == null) {
            return;
        }
        String key;
        try {
            key = new ContactKey(result.getPhoneNumberId(), result.getContactId()).format();
        } catch (IllegalArgumentException e) {
            return; // not a contact key (a result of an unresolved request): nothing to hold
        }
        long until = result.getRetryAfter().toEpochMilli();
        Long current = holds.get(key);
        if (current == null || current < until) {
            holds.put(key, until);
        }
    }
}
