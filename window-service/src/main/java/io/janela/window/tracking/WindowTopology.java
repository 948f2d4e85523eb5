package io.janela.window.tracking;

import static io.janela.streams.ContactStreams.source;

import io.janela.avro.AccountEvent;
import io.janela.avro.ContactAlias;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.streams.ContactStreams;
import io.janela.streams.OutputRoutes;
import io.janela.streams.RecordTime;
import io.janela.window.tracking.avro.StoredContact;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The window-service's topology. Every node, store and internal topic has an explicit name: generated names change
 * when the topology changes and would orphan the state.
 *
 * <pre>
 * whatsapp.inbound-messages ─────────────────────────────────────────────┐
 * whatsapp.message-statuses ─ relevant? ─┬─ keyed by contact ────────────┤
 *                                        └─ keyed by phone ─ alias ─ repartition ─┤
 * whatsapp.dispatch-results ─ relevant? ─┬─ keyed by contact ────────────┤
 *                                        └─ keyed by phone ─ alias ─ repartition ─┤
 * whatsapp.call-events ─ opens? ─────────┬─ keyed by contact ────────────┤
 *                                        └─ keyed by phone ─ alias ─ repartition ─┤
 * whatsapp.message-echoes ─ a reply? ────┬─ keyed by contact ────────────┤
 *                                        └─ keyed by phone ─ alias ─ repartition ─┤
 * whatsapp.account-events ─ user id change? ─ keyed by previous id ─ repartition ─┤
 * janela-window-contact-handovers (written below) ────────────────────────┤
 *                                                                         ▼
 *                     window-tracker (stores window-contacts, window-deadlines, window-open-counts;
 *                                     wall-clock punctuator)
 *                         ├─► whatsapp.window-events
 *                         ├─► whatsapp.window-state (compacted)
 *                         ├─► whatsapp.contact-aliases (compacted) ─► global store window-contact-aliases
 *                         └─► janela-window-contact-handovers (a contact's state, keyed by its new user id)
 * </pre>
 *
 * A failed status for a message sent to a phone number carries no user id, so it is keyed {@code
 * {phoneNumberId}:{waId}}; the global alias store (every instance holds all aliases, so no co-partitioning is needed
 * for the lookup) gives the contact key, and the record is repartitioned to the task that owns that contact. Calls
 * and Business-app echoes that name no user id go the same way. The five input topics must have the same number of
 * partitions: they feed one processor and one store.
 */
public final class WindowTopology {

    public static final String TRACKER = "window-tracker";
    static final String STATUSES_BY_CONTACT = "window-statuses-by-contact";
    static final String DISPATCH_RESULTS_BY_CONTACT = "window-dispatch-results-by-contact";
    static final String CALLS_BY_CONTACT = "window-calls-by-contact";
    static final String ECHOES_BY_CONTACT = "window-echoes-by-contact";
    static final String USER_ID_CHANGES_BY_CONTACT = "window-user-id-changes-by-contact";
    /**
     * The window-service's own topic from its processor back to itself: the state of a contact whose user id changed,
     * keyed by the contact of the new id. Partitioned like the inputs (it feeds the same processor and store).
     */
    public static final String HANDOVERS = "janela-window-contact-handovers";

    private WindowTopology() {}

    /** The topology on its own, for TopologyTestDriver and the benchmark. */
    public static Topology build(
            JanelaTopics topics,
            Serde<StoredContact> storedContacts,
            TrackingSettings settings,
            WindowMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, topics, storedContacts, settings, metrics);
        return builder.build();
    }

    /** Adds the topology to a builder (Spring's {@code StreamsBuilderFactoryBean} builds and runs it). */
    public static void define(
            StreamsBuilder builder,
            JanelaTopics topics,
            Serde<StoredContact> storedContacts,
            TrackingSettings settings,
            WindowMetrics metrics) {
        // No record cache on the contacts and the index: their keys rarely repeat within a commit interval, so the
        // cache would only add a sorted map and a flush to every write. The open counts are one hot key per business
        // number: cached, they reach the changelog once per commit. The index has no changelog (WindowDeadlines).
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.CONTACTS), Serdes.String(), storedContacts)
                .withCachingDisabled());
        builder.addStateStore(WindowDeadlines.storeBuilder());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(StoreNames.OPEN_COUNTS), Serdes.String(), Serdes.Long())
                .withCachingEnabled());

        TopicDescriptor<String, ContactAlias> aliasTopic = topics.contactAliases();
        GlobalKTable<String, ContactAlias> aliases =
                ContactStreams.aliases(builder, aliasTopic, "window-contact-aliases", StoreNames.ALIASES);

        KStream<String, WindowInput> inbound = source(builder, topics.inboundMessages(), "window-inbound-messages")
                .mapValues(WindowInput.Inbound::new, Named.as("window-inbound-messages-as-input"));

        KStream<String, WindowInput> statuses = resolved(
                source(builder, topics.messageStatuses(), "window-message-statuses")
                        .filter(
                                (key, status) -> status == null || InputFacts.matters(status),
                                Named.as("window-relevant-statuses")),
                topics.messageStatuses(),
                aliases,
                status -> status != null && InputFacts.keyedByPhoneNumber(status),
                "window-statuses",
                STATUSES_BY_CONTACT,
                WindowInput.Status::new);

        KStream<String, WindowInput> results = resolved(
                source(builder, topics.dispatchResults(), "window-dispatch-results")
                        .filter(
                                (key, result) -> result == null || InputFacts.matters(result),
                                Named.as("window-relevant-dispatch-results")),
                topics.dispatchResults(),
                aliases,
                result -> result != null && InputFacts.keyedByPhoneNumber(result),
                "window-dispatch-results",
                DISPATCH_RESULTS_BY_CONTACT,
                WindowInput.Dispatched::new);

        KStream<String, WindowInput> calls = resolved(
                source(builder, topics.callEvents(), "window-call-events")
                        .filter(
                                (key, call) -> call == null || InputFacts.opensWindow(call),
                                Named.as("window-calls-that-open")),
                topics.callEvents(),
                aliases,
                call -> call != null && InputFacts.keyedByPhoneNumber(call),
                "window-calls",
                CALLS_BY_CONTACT,
                WindowInput.Call::new);

        KStream<String, WindowInput> echoes = resolved(
                source(builder, topics.messageEchoes(), "window-message-echoes")
                        .filter(
                                (key, echo) -> echo == null || InputFacts.isReply(echo),
                                Named.as("window-echoes-that-reply")),
                topics.messageEchoes(),
                aliases,
                echo -> echo != null && InputFacts.keyedByPhoneNumber(echo),
                "window-echoes",
                ECHOES_BY_CONTACT,
                WindowInput.Echo::new);

        TopicDescriptor<String, AccountEvent> accountEvents = topics.accountEvents();
        KStream<String, WindowInput> userIdChanges = source(builder, accountEvents, "window-account-events")
                .filter(
                        (key, event) -> event != null && InputFacts.isUserIdChange(event),
                        Named.as("window-user-id-changes"))
                .selectKey(
                        (key, event) -> InputFacts.previousContactKey(event), Named.as("window-user-id-changes-rekey"))
                .repartition(Repartitioned.with(accountEvents.keySerde(), accountEvents.valueSerde())
                        .withName(USER_ID_CHANGES_BY_CONTACT))
                .mapValues(WindowInput.UserIdChanged::new, Named.as("window-user-id-changes-as-input"));

        KStream<String, WindowInput> handovers = builder.stream(
                        HANDOVERS,
                        Consumed.with(Serdes.String(), storedContacts).withName("window-handovers-source"))
                .mapValues(WindowInput.Handover::new, Named.as("window-handovers-as-input"));

        KStream<String, WindowOutput> outputs = inbound.merge(statuses, Named.as("window-merge-statuses"))
                .merge(results, Named.as("window-merge-dispatch-results"))
                .merge(calls, Named.as("window-merge-calls"))
                .merge(echoes, Named.as("window-merge-echoes"))
                .merge(userIdChanges, Named.as("window-merge-user-id-changes"))
                .merge(handovers, Named.as("window-merge-handovers"))
                .process(
                        () -> new WindowProcessor(settings, metrics),
                        Named.as(TRACKER),
                        StoreNames.CONTACTS,
                        StoreNames.DEADLINES,
                        StoreNames.OPEN_COUNTS);

        // Record timestamps (README "Record timestamps"): the topics deleted by time get the time of writing, so that
        // an event dated long ago stays their whole retention; the compacted ones keep the event time the processor
        // gave, which orders the readers' table updates before the records that came after them.
        OutputRoutes.split(outputs, "window-output-")
                .route(
                        WindowOutput.Event.class,
                        WindowOutput.Event::event,
                        RecordTime.WRITTEN,
                        topics.windowEvents(),
                        "window-events",
                        "events")
                .route(
                        WindowOutput.State.class,
                        WindowOutput.State::window,
                        RecordTime.FORWARDED,
                        topics.windowState(),
                        "window-state",
                        "state")
                .route(
                        WindowOutput.Alias.class,
                        WindowOutput.Alias::alias,
                        RecordTime.FORWARDED,
                        aliasTopic,
                        "window-aliases",
                        "aliases")
                .route(
                        WindowOutput.Handover.class,
                        WindowOutput.Handover::moved,
                        RecordTime.WRITTEN,
                        HANDOVERS,
                        Produced.with(Serdes.String(), storedContacts),
                        "window-handovers",
                        "handovers");
    }

    /**
     * Records keyed by contact go straight on; those keyed by a phone number are looked up in the global alias store
     * and repartitioned by the contact key found (or by their own key, when the contact has no other identity).
     */
    private static <V> KStream<String, WindowInput> resolved(
            KStream<String, V> records,
            TopicDescriptor<String, V> topic,
            GlobalKTable<String, ContactAlias> aliases,
            Predicate<V> keyedByPhoneNumber,
            String name,
            String repartitionName,
            Function<V, WindowInput> asInput) {
        return ContactStreams.byContact(
                        records,
                        aliases,
                        keyedByPhoneNumber,
                        name,
                        Repartitioned.with(topic.keySerde(), topic.valueSerde()).withName(repartitionName),
                        false)
                .mapValues(asInput::apply, Named.as(name + "-as-input"));
    }
}
