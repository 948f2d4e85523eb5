package io.janela.dispatch.decision;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.contract.AccountEventKey;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Reads an account's restriction or messaging limit from the account state ({@link DecisionTopology#ACCOUNT_EVENTS_STORE},
 * filled by {@link AccountStateProcessor}): the newest statement by Meta's time across the fact's keys. Each statement
 * has a key of its own ({@code {wabaId}:RESTRICTION:{epoch ms}}, see io.janela.contract.AccountEventKey), so that
 * compaction of whatsapp.account-events cannot keep an older statement in place of a newer one; a key written before
 * Meta's time was in it ({@code {wabaId}:RESTRICTION}) is one more statement. Equal times: the statement of the later key
 * (a time-keyed one over the old key).
 */
final class AccountFacts {

    private static final StringSerializer PREFIX = new StringSerializer();

    private AccountFacts() {}

    /** The account's newest statement of this kind, or null when none is stored. */
    static AccountEvent newest(
            ReadOnlyKeyValueStore<String, ValueAndTimestamp<AccountEvent>> store,
            String wabaId,
            AccountEventKind kind) {
        String prefix = AccountEventKey.factPrefix(wabaId, kind);
        AccountEvent newest = null;
        try (KeyValueIterator<String, ValueAndTimestamp<AccountEvent>> keys = store.prefixScan(prefix, PREFIX)) {
            while (keys.hasNext()) {
                KeyValue<String, ValueAndTimestamp<AccountEvent>> entry = keys.next();
                AccountEvent event = entry.value == null ? null : entry.value.value();
                if (event == null || !AccountEventKey.ofFact(entry.key, prefix) || event.getKind() != kind) {
                    continue;
                }
                if (newest == null || !event.getTimestamp().isBefore(newest.getTimestamp())) {
                    newest = event;
                }
            }
        }
        return newest;
    }
}
