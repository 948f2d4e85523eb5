package io.janela.dispatch.decision;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.PHONE_NUMBER_ID;
import static io.janela.dispatch.Fixtures.USER_ID;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ParkedRequest;
import io.janela.avro.ParkedRequests;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.Fixtures;
import io.janela.dispatch.TopologyHarness;
import io.janela.dispatch.topics.DispatchTopics;
import io.janela.serde.registry.MockSchemaRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The parking lot answers "are requests waiting for this key?" from memory: what it answers must be what its store
 * holds, also for a lot made on a store that already holds waiting requests (a processor initialised again after Kafka
 * Streams restored the store: a restart, a rebalance, a task re-initialised after an aborted transaction).
 */
class ParkingLotTest {

    private static final String SCOPE = "parking-lot-test";
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final String CONTACT = PHONE_NUMBER_ID + ":" + USER_ID;
    private static final String OTHER = PHONE_NUMBER_ID + ":US.2";

    private KeyValueStore<String, ParkedRequests> store;

    @BeforeEach
    void store() {
        Fixtures.businessNumber(); // trusts Avro's generated classes
        ValueSerdes values = ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + SCOPE));
        DispatchTopics topics = DispatchTopics.create(
                JanelaTopics.create(TopicNames.defaults(), values), TopologyHarness.OWN_TOPICS, values);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, SCOPE);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>(config);
        store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(DecisionTopology.PARKED_BY_CONTACT_STORE),
                        Serdes.String(),
                        topics.parkedRequests())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
    }

    @AfterEach
    void dropRegistry() {
        store.close();
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void aLotMadeOnAStoreWithWaitingRequestsKnowsThem() {
        store.put(
                CONTACT,
                new ParkedRequests(
                        List.of(new ParkedRequest(text("r-1", "first").build(), NOW)), NOW.plus(GRACE)));

        ParkingLot lot = new ParkingLot(store, GRACE);

        assertThat(lot.hasWaiting(CONTACT)).isTrue();
        assertThat(lot.hasWaiting(OTHER)).isFalse();
        lot.park(CONTACT, text("r-2", "second").build(), NOW.plusSeconds(1));
        assertThat(store.get(CONTACT).getRequests())
                .extracting(parked -> parked.getRequest().getRequestId())
                .as("queued behind the request the store held")
                .containsExactly("r-1", "r-2");
    }

    @Test
    void answersWhatTheStoreHoldsAfterEveryWrite() {
        ParkingLot lot = new ParkingLot(store, GRACE);
        assertThat(lot.hasWaiting(CONTACT)).isFalse();

        lot.park(CONTACT, text("r-1", "first").build(), NOW);
        assertThat(lot.hasWaiting(CONTACT)).isTrue();
        assertThat(lot.hasWaiting(OTHER)).isFalse();

        List<ParkedRequest> queue = lot.all().getFirst().value;
        lot.keep(CONTACT, queue);
        assertThat(lot.hasWaiting(CONTACT)).isTrue();
        assertThat(store.get(CONTACT)).isNotNull();

        lot.keep(CONTACT, List.of());
        assertThat(lot.hasWaiting(CONTACT)).isFalse();
        assertThat(store.get(CONTACT)).isNull();
        assertThat(new ParkingLot(store, GRACE).hasWaiting(CONTACT)).isFalse();
    }
}
