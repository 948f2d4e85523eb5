package io.janela.dispatch.decision;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the global store of the account's own state ({@link DecisionTopology#ACCOUNT_EVENTS_STORE}) from
 * whatsapp.account-events, keeping only what dispatch's rules read: the RESTRICTION (the decision's account
 * restriction) and MESSAGING_LIMIT ({@link MessagingLimitProcessor}) statements, under the topic's key
 * (io.janela.contract.AccountEventKey: {@code {wabaId}:RESTRICTION:{Meta's time, epoch ms}}, or {@code
 * {wabaId}:RESTRICTION} as earlier versions wrote it), with Meta's time as the stored timestamp. Every other kind (one
 * USER_ID_CHANGE per user-id change, kept by compaction for ever; quality, throughput, other account updates) is counted
 * and left out, so that the store holds a few records per business account however long the topic's history.
 *
 * <p>The store mirrors what compaction keeps of those two kinds, and the rules read the newest statement by Meta's time
 * across the fact's keys ({@link AccountFacts}): Meta redelivers webhooks late and out of order, and with Meta's time in
 * the key a late older statement is a record of its own, which neither compaction nor this store lets replace the newer
 * one. So an instance that restores from the topic after compaction finds what a running instance holds. Under one key
 * (the key of earlier versions, or a redelivery of the same second) an older statement read after a newer one does not
 * replace it (equal times: the later record wins). A tombstone deletes its key.
 *
 * <p>Kafka Streams runs this processor again when it restores the store (from the store's committed offset). The
 * store has the name and the on-disk format (a timestamped key-value store) that the global table of earlier versions
 * had, so an instance upgraded in place keeps its state and offsets; what that table held of the kinds left out is
 * deleted once, in {@link #init}.
 */
final class AccountStateProcessor implements Processor<String, AccountEvent, Void, Void> {

    /** The kinds dispatch's rules read. */
    static final Set<AccountEventKind> KEPT =
            EnumSet.of(AccountEventKind.RESTRICTION, AccountEventKind.MESSAGING_LIMIT);

    private static final Logger log = LoggerFactory.getLogger(AccountStateProcessor.class);

    private final DecisionMetrics metrics;
    private TimestampedKeyValueStore<String, AccountEvent> store;

    AccountStateProcessor(DecisionMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(DecisionTopology.ACCOUNT_EVENTS_STORE);
        int removed = removeUnread();
        if (removed > 0) {
            log.info("Removed {} account events of kinds dispatch does not read from {}", removed, store.name());
        }
    }

    @Override
    public void process(Record<String, AccountEvent> record) {
        String key = record.key();
        if (key == null) {
            return;
        }
        AccountEvent event = record.value();
        if (event == null) {
            store.delete(key);
            metrics.accountEvent(kindOfKey(key), "deleted");
            return;
        }
        if (!KEPT.contains(event.getKind())) {
            metrics.accountEvent(event.getKind(), "not_read");
            return;
        }
        ValueAndTimestamp<AccountEvent> current = store.get(key);
        if (current != null
                && current.value() != null
                && current.value().getTimestamp().isAfter(event.getTimestamp())) {
            metrics.accountEvent(event.getKind(), "older");
            return;
        }
        store.put(key, ValueAndTimestamp.make(event, event.getTimestamp().toEpochMilli()));
        metrics.accountEvent(event.getKind(), "stored");
    }

    /** Deletes what the store holds of the kinds left out (a store the global table of earlier versions filled). */
    private int removeUnread() {
        List<String> unread = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<AccountEvent>> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, ValueAndTimestamp<AccountEvent>> entry = all.next();
                AccountEvent event = entry.value == null ? null : entry.value.value();
                if (event == null || !KEPT.contains(event.getKind())) {
                    unread.add(entry.key);
                }
            }
        }
        unread.forEach(store::delete);
        return unread.size();
    }

    /** The kind a key names (io.janela.contract.AccountEventKey: its second part), for a tombstone. */
    private static AccountEventKind kindOfKey(String key) {
        String[] parts = key.split(":", 3);
        if (parts.length >= 2) {
            for (AccountEventKind kind : AccountEventKind.values()) {
                if (kind.name().equals(parts[1])) {
                    return kind;
                }
            }
        }
        return AccountEventKind.UNKNOWN;
    }
}
