package io.janela.dispatch.decision;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.WABA_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.contract.AccountEventKey;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.Fixtures;
import io.janela.serde.registry.MockSchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An instance upgraded in place opens the store its global table of earlier versions filled with every kind of account
 * event (the same name and format): the processor deletes what no rule reads once, when it starts.
 */
class AccountStateProcessorTest {

    private static final String SCOPE = "account-state-processor-test";

    @AfterEach
    void dropRegistry() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void deletesWhatTheGlobalTableOfEarlierVersionsHeldOfTheKindsNoRuleReadsWhenItStarts() {
        Fixtures.businessNumber(); // trusts Avro's generated classes
        JanelaTopics topics = JanelaTopics.create(
                TopicNames.defaults(), ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE)));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, SCOPE);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>(config);
        TimestampedKeyValueStore<String, AccountEvent> store = Stores.timestampedKeyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(DecisionTopology.ACCOUNT_EVENTS_STORE),
                        Serdes.String(),
                        topics.accountEvents().valueSerde())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        for (AccountEvent event : List.of(
                event(AccountEventKind.RESTRICTION).build(),
                event(AccountEventKind.MESSAGING_LIMIT).build(),
                event(AccountEventKind.USER_ID_CHANGE)
                        .setPhoneNumberId(PHONE_NUMBER_ID)
                        .setPreviousUserId("US.1")
                        .build(),
                event(AccountEventKind.USER_ID_CHANGE)
                        .setPhoneNumberId(PHONE_NUMBER_ID)
                        .setPreviousUserId("US.2")
                        .build(),
                event(AccountEventKind.PHONE_NUMBER_QUALITY)
                        .setDisplayPhoneNumber("15550783881")
                        .build())) {
            store.put(earlierKey(event), ValueAndTimestamp.make(event, NOW.toEpochMilli()));
        }

        new AccountStateProcessor(new DecisionMetrics(new SimpleMeterRegistry())).init(context);

        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<AccountEvent>> all = store.all()) {
            all.forEachRemaining(entry -> keys.add(entry.key));
        }
        assertThat(keys).containsExactlyInAnyOrder(WABA_ID + ":RESTRICTION", WABA_ID + ":MESSAGING_LIMIT");
    }

    /** The key earlier versions wrote: one per account for a restriction or a messaging limit. */
    private static String earlierKey(AccountEvent event) {
        return AccountStateProcessor.KEPT.contains(event.getKind())
                ? event.getWabaId() + ":" + event.getKind().name()
                : AccountEventKey.of(event);
    }

    private static AccountEvent.Builder event(AccountEventKind kind) {
        return AccountEvent.newBuilder()
                .setKind(kind)
                .setField("account_update")
                .setWabaId(WABA_ID)
                .setTimestamp(NOW)
                .setRawJson("{}");
    }
}
