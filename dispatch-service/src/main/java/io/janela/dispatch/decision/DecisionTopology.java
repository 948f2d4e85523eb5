package io.janela.dispatch.decision;

import io.janela.avro.AccountEvent;
import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchResult;
import io.janela.avro.OutboundRequest;
import io.janela.avro.SendCommand;
import io.janela.avro.Template;
import io.janela.avro.UserPreference;
import io.janela.contract.ContactKey;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.rules.Decider;
import io.janela.dispatch.rules.RequestValidator;
import io.janela.dispatch.topics.DispatchTopics;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Outbound requests to decisions (DESIGN.md §4):
 *
 * <pre>
 * whatsapp.outbound-requests (any key)
 *   → dispatch-intake: decode, validate, find the contact (whatsapp.contact-aliases, global)
 *       → whatsapp.outbound-requests.dead-letter, whatsapp.dispatch-results (INVALID_REQUEST)
 *   → dispatch-requests-by-contact (repartition; as many partitions as whatsapp.window-state)
 *   → join whatsapp.window-state (table, co-partitioned: Streams checks it)
 *   → dispatch-decide: duplicates, expiry, window, templates (whatsapp.templates, global), opt-outs
 *       (whatsapp.user-preferences, global, under every name of the contact), account restrictions
 *       (whatsapp.account-events, RESTRICTION and MESSAGING_LIMIT only, global store), marketing holds (131049
 *       results of whatsapp.dispatch-results, global)
 *       → whatsapp.dispatch-results (REJECTED, EXPIRED, DUPLICATE)
 *       → whatsapp.dispatch.send-commands (sends, keyed by contact)
 *       → business-initiated sends → dispatch-sends-by-portfolio (repartition, key the number's business portfolio)
 *           → dispatch-messaging-limit: unique users reached business-initiated in the moving 24 h, per portfolio;
 *               beyond the limit refused or (when-reached: hold) held until room returns
 *               → whatsapp.dispatch-results (REJECTED MESSAGING_LIMIT; a held send's end)
 *               → whatsapp.dispatch.send-commands (sends, keyed by contact)
 *               → a held send leaving the hold: dispatch-requests-by-contact again (header janela-held-send), to be
 *                 decided again by dispatch-decide with the state of then; still business-initiated, it comes back
 *       → the checked fallbacks of free-form sends, keyed by request id, for the correlation of statuses
 * </pre>
 *
 * Every processor, store and internal topic is named. Build it with {@link #build}; the service adds it, with the
 * other capabilities, through {@link #addTo}.
 */
public final class DecisionTopology {

    public static final String WINDOW_STORE = "dispatch-window-state";
    public static final String PREFERENCES_STORE = "dispatch-user-preferences-global";
    public static final String ACCOUNT_EVENTS_STORE = "dispatch-account-events";
    public static final String MARKETING_HOLDS_STORE = "dispatch-marketing-holds";
    public static final String TEMPLATES_STORE = "dispatch-templates";
    public static final String ALIASES_STORE = "dispatch-contact-aliases";
    public static final String REQUEST_IDS_STORE = "dispatch-request-ids";
    public static final String PARKED_BY_CONTACT_STORE = "dispatch-parked-by-contact";
    public static final String PARKED_BY_ADDRESSEE_STORE = "dispatch-parked-by-addressee";
    public static final String REQUESTS_BY_CONTACT = "dispatch-requests-by-contact";
    public static final String PORTFOLIO_REACH_STORE = "dispatch-portfolio-reach";
    public static final String SENDS_BY_PORTFOLIO = "dispatch-sends-by-portfolio";
    public static final String HELD_SENDS_STORE = "dispatch-messaging-limit-held";

    private static final String INTAKE = "dispatch-intake-";
    private static final String DECIDE = "dispatch-decide-";
    private static final String LIMIT = "dispatch-messaging-limit-";

    /**
     * What the decision emits for the rest of the application.
     *
     * @param businessInitiated decided business-initiated sends (templates outside an open window), keyed by contact,
     *     for {@link #addMessagingLimit} (then the sender); the other sends go to the sender directly
     * @param fallbackPlans the checked fallbacks of free-form sends, keyed by request id, for the correlation
     */
    public record Decided(KStream<String, SendCommand> businessInitiated, KStream<String, SendCommand> fallbackPlans) {}

    /** What the topology is built from. */
    public record Settings(
            DispatchTopics topics,
            DispatchProperties.Decision decision,
            BusinessNumbers numbers,
            Decider decider,
            DecisionMetrics metrics) {}

    private DecisionTopology() {}

    /** The decision topology alone (the checked fallbacks go nowhere). */
    public static Topology build(Settings settings, Properties streamsConfig) {
        StreamsBuilder builder = new StreamsBuilder();
        Decided decided = addTo(builder, settings);
        addPolicyState(builder, settings);
        addMessagingLimit(builder, settings, decided.businessInitiated());
        return builder.build(streamsConfig);
    }

    /**
     * Adds the decision; its business-initiated sends go on through {@link #addMessagingLimit}, which the caller adds
     * after {@link #addPolicyState}.
     */
    public static Decided addTo(StreamsBuilder builder, Settings settings) {
        JanelaTopics topics = settings.topics().shared();
        TopicDescriptor<String, Template> templates = topics.templates();
        builder.globalTable(
                templates.name(),
                Consumed.with(templates.keySerde(), templates.valueSerde()).withName("dispatch-templates-source"),
                Materialized.<String, Template, KeyValueStore<Bytes, byte[]>>as(TEMPLATES_STORE)
                        .withKeySerde(templates.keySerde())
                        .withValueSerde(templates.valueSerde()));
        TopicDescriptor<String, ContactAlias> aliases = topics.contactAliases();
        builder.globalTable(
                aliases.name(),
                Consumed.with(aliases.keySerde(), aliases.valueSerde()).withName("dispatch-contact-aliases-source"),
                Materialized.<String, ContactAlias, KeyValueStore<Bytes, byte[]>>as(ALIASES_STORE)
                        .withKeySerde(aliases.keySerde())
                        .withValueSerde(aliases.valueSerde()));
        TopicDescriptor<String, ContactWindow> windowState = topics.windowState();
        KTable<String, ContactWindow> windows = builder.table(
                windowState.name(),
                Consumed.with(windowState.keySerde(), windowState.valueSerde())
                        .withName("dispatch-window-state-source"),
                Materialized.<String, ContactWindow, KeyValueStore<Bytes, byte[]>>as(WINDOW_STORE)
                        .withKeySerde(windowState.keySerde())
                        .withValueSerde(windowState.valueSerde()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PARKED_BY_ADDRESSEE_STORE),
                Serdes.String(),
                settings.topics().parkedRequests()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PARKED_BY_CONTACT_STORE),
                Serdes.String(),
                settings.topics().parkedRequests()));
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(
                        REQUEST_IDS_STORE, settings.decision().dedupeRetention(), Duration.ofMillis(1), false),
                Serdes.String(),
                Serdes.Long()));

        TopicDescriptor<String, OutboundRequest> requests = topics.outboundRequests();
        RequestValidator validator =
                new RequestValidator(id -> settings.numbers().find(id).isPresent());
        Map<String, KStream<String, DecisionOutput>> intake = builder.stream(
                        requests.name(),
                        Consumed.with(Serdes.ByteArray(), new IntakeSerde(requests.valueSerde()))
                                .withName("dispatch-outbound-requests-source"))
                .process(
                        () -> new IntakeProcessor(
                                validator,
                                settings.decision().aliasGrace(),
                                settings.decision().parkCheckInterval(),
                                settings.metrics()),
                        Named.as("dispatch-intake"),
                        PARKED_BY_ADDRESSEE_STORE)
                .split(Named.as(INTAKE))
                .branch((key, out) -> out instanceof DecisionOutput.ToDecide, Branched.as("to-decide"))
                .branch((key, out) -> out instanceof DecisionOutput.Result, Branched.as("results"))
                .branch((key, out) -> out instanceof DecisionOutput.DeadLetter, Branched.as("dead-letters"))
                .noDefaultBranch();
        intake.get(INTAKE + "dead-letters")
                .map(
                        (key, out) -> KeyValue.pair(
                                ((DecisionOutput.DeadLetter) out).key(), ((DecisionOutput.DeadLetter) out).value()),
                        Named.as(INTAKE + "dead-letter-bytes"))
                .to(
                        topics.outboundRequestsDeadLetter().name(),
                        Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(INTAKE + "dead-letter-sink"));
        toResults(intake.get(INTAKE + "results"), topics.dispatchResults(), INTAKE);

        Map<String, KStream<String, DecisionOutput>> decided = intake.get(INTAKE + "to-decide")
                .mapValues(out -> ((DecisionOutput.ToDecide) out).request(), Named.as(INTAKE + "request"))
                .repartition(Repartitioned.<String, OutboundRequest>as(REQUESTS_BY_CONTACT)
                        .withKeySerde(requests.keySerde())
                        .withValueSerde(requests.valueSerde()))
                .leftJoin(
                        windows,
                        Arrival::new,
                        Joined.<String, OutboundRequest, ContactWindow>with(
                                        requests.keySerde(), requests.valueSerde(), windowState.valueSerde())
                                .withName("dispatch-join-window-state"))
                .process(
                        () -> new DecideProcessor(
                                settings.decider(), settings.numbers(), settings.decision(), settings.metrics()),
                        Named.as("dispatch-decide"),
                        WINDOW_STORE,
                        REQUEST_IDS_STORE,
                        PARKED_BY_CONTACT_STORE)
                .split(Named.as(DECIDE))
                .branch((key, out) -> out instanceof DecisionOutput.Command, Branched.as("commands"))
                .branch((key, out) -> out instanceof DecisionOutput.Result, Branched.as("results"))
                .branch((key, out) -> out instanceof DecisionOutput.FallbackPlan, Branched.as("fallback-plans"))
                .branch(
                        (key, out) -> out instanceof DecisionOutput.BusinessInitiated,
                        Branched.as("business-initiated"))
                .noDefaultBranch();
        TopicDescriptor<String, SendCommand> sendCommands = settings.topics().sendCommands();
        decided.get(DECIDE + "commands")
                .mapValues(out -> ((DecisionOutput.Command) out).command(), Named.as(DECIDE + "command"))
                .to(
                        sendCommands.name(),
                        Produced.with(sendCommands.keySerde(), sendCommands.valueSerde())
                                .withName(DECIDE + "send-commands-sink"));
        toResults(decided.get(DECIDE + "results"), topics.dispatchResults(), DECIDE);
        return new Decided(
                decided.get(DECIDE + "business-initiated")
                        .mapValues(
                                out -> ((DecisionOutput.BusinessInitiated) out).command(),
                                Named.as(DECIDE + "business-initiated-command")),
                decided.get(DECIDE + "fallback-plans")
                        .mapValues(
                                out -> ((DecisionOutput.FallbackPlan) out).command(),
                                Named.as(DECIDE + "fallback-plan")));
    }

    /**
     * The business portfolio's messaging limit ({@link MessagingLimitProcessor}): every business-initiated send is
     * re-keyed by its number's portfolio, counted or refused there, and goes to whatsapp.dispatch.send-commands keyed
     * by its contact again. Added after {@link #addPolicyState} (it reads the account events), and last, so that the numbers of the
     * existing subtopologies stay as they were (see {@link #addPolicyState}).
     */
    public static void addMessagingLimit(
            StreamsBuilder builder, Settings settings, KStream<String, SendCommand> businessInitiated) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PORTFOLIO_REACH_STORE), Serdes.String(), Serdes.Long()));
        TopicDescriptor<String, SendCommand> sendCommands = settings.topics().sendCommands();
        TopicDescriptor<String, OutboundRequest> requests =
                settings.topics().shared().outboundRequests();
        // Sends held at the limit (when-reached: hold). Declared whatever the setting, so that switching it changes no
        // topology, and held sends are decided to the end after it is switched off.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(HELD_SENDS_STORE), Serdes.String(), sendCommands.valueSerde()));
        BusinessNumbers numbers = settings.numbers();
        Map<String, KStream<String, DecisionOutput>> limited = businessInitiated
                .selectKey(
                        // By the contact key's number: a held send decided again that ended in the decision comes
                        // back without a command (DecisionOutput.BusinessInitiated).
                        (contact, command) -> {
                            String phoneNumberId = ContactKey.parse(contact).phoneNumberId();
                            return numbers.find(phoneNumberId)
                                    .map(BusinessNumber::portfolioId)
                                    .orElse(phoneNumberId);
                        },
                        Named.as(LIMIT + "portfolio"))
                .repartition(Repartitioned.<String, SendCommand>as(SENDS_BY_PORTFOLIO)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(sendCommands.valueSerde()))
                .process(
                        () -> new MessagingLimitProcessor(
                                numbers, settings.decision().messagingLimit(), settings.metrics()),
                        Named.as("dispatch-messaging-limit"),
                        PORTFOLIO_REACH_STORE,
                        HELD_SENDS_STORE)
                .split(Named.as(LIMIT))
                .branch((key, out) -> out instanceof DecisionOutput.Command, Branched.as("commands"))
                .branch((key, out) -> out instanceof DecisionOutput.Result, Branched.as("results"))
                .branch((key, out) -> out instanceof DecisionOutput.Redecide, Branched.as("redecide"))
                .noDefaultBranch();
        // A held send leaving the hold goes back to the decision, keyed by its contact, through the decision's own
        // input (the repartition topic dispatch-requests-by-contact: Kafka Streams prefixes the application id to an
        // internal topic's name in a sink too), so that it is joined with its contact's window like a new request;
        // its place in the headers tells the decision it already passed the hold. No new topic and no new
        // subtopology: the numbers of the existing ones stay (TopologyUpgradeTest).
        limited.get(LIMIT + "redecide")
                .mapValues(out -> ((DecisionOutput.Redecide) out).request(), Named.as(LIMIT + "redecide-request"))
                .to(
                        REQUESTS_BY_CONTACT + "-repartition",
                        Produced.with(requests.keySerde(), requests.valueSerde())
                                .withName(LIMIT + "redecide-sink"));
        limited.get(LIMIT + "commands")
                .mapValues(out -> ((DecisionOutput.Command) out).command(), Named.as(LIMIT + "command"))
                .to(
                        sendCommands.name(),
                        Produced.with(sendCommands.keySerde(), sendCommands.valueSerde())
                                .withName(LIMIT + "send-commands-sink"));
        toResults(limited.get(LIMIT + "results"), settings.topics().shared().dispatchResults(), LIMIT);
    }

    /**
     * The global state of the contact and account rules: marketing preferences, the account's restrictions and messaging
     * limits ({@link AccountStateProcessor}), marketing holds. Add it
     * after every other part of the application: Kafka Streams numbers subtopologies (global ones included) in the order
     * their sources are created, and task directories on disk are named by those numbers; declared last, the global
     * tables take new numbers and the existing tasks keep theirs across an upgrade. (A task directory left with the
     * number of a global table's group made Kafka Streams 4.4 fail at start: "Metrics recorder is re-initialised with
     * different task".)
     */
    public static void addPolicyState(StreamsBuilder builder, Settings settings) {
        JanelaTopics topics = settings.topics().shared();
        // Global: a contact-keyed rule looks a contact up under each of its names (ContactIdentities), which may be
        // keys of other partitions; and the account's restrictions apply to every contact.
        TopicDescriptor<String, UserPreference> userPreferences = topics.userPreferences();
        builder.globalTable(
                userPreferences.name(),
                Consumed.with(userPreferences.keySerde(), userPreferences.valueSerde())
                        .withName("dispatch-user-preferences-source"),
                Materialized.<String, UserPreference, KeyValueStore<Bytes, byte[]>>as(PREFERENCES_STORE)
                        .withKeySerde(userPreferences.keySerde())
                        .withValueSerde(userPreferences.valueSerde()));
        // Only the kinds the rules read (AccountStateProcessor). The store keeps the name, the place among the global
        // stores and the on-disk format (timestamped) of the global table it replaces, so that an instance upgraded in
        // place opens its store, keeps its offsets, and has the other kinds deleted once.
        TopicDescriptor<String, AccountEvent> accountEvents = topics.accountEvents();
        DecisionMetrics metrics = settings.metrics();
        builder.addGlobalStore(
                Stores.timestampedKeyValueStoreBuilder(
                                Stores.persistentTimestampedKeyValueStore(ACCOUNT_EVENTS_STORE),
                                accountEvents.keySerde(),
                                accountEvents.valueSerde())
                        .withLoggingDisabled(),
                accountEvents.name(),
                Consumed.with(accountEvents.keySerde(), accountEvents.valueSerde())
                        .withName("dispatch-account-events-source"),
                () -> new AccountStateProcessor(metrics));
        TopicDescriptor<String, DispatchResult> results = topics.dispatchResults();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(MARKETING_HOLDS_STORE), Serdes.String(), Serdes.Long())
                        .withLoggingDisabled(),
                results.name(),
                Consumed.with(results.keySerde(), results.valueSerde()).withName("dispatch-marketing-holds-source"),
                MarketingHoldsProcessor::new);
    }

    private static void toResults(
            KStream<String, DecisionOutput> outputs, TopicDescriptor<String, DispatchResult> results, String prefix) {
        outputs.mapValues(out -> ((DecisionOutput.Result) out).result(), Named.as(prefix + "result"))
                .to(
                        results.name(),
                        Produced.with(results.keySerde(), results.valueSerde()).withName(prefix + "results-sink"));
    }
}
