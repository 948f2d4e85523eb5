package io.janela.survey.asking;

import static io.janela.streams.ContactStreams.source;

import io.janela.avro.ContactAlias;
import io.janela.avro.ConversationResolution;
import io.janela.avro.MessageStatus;
import io.janela.avro.WindowEventType;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.streams.ContactStreams;
import io.janela.streams.DeadlineIndex;
import io.janela.streams.OutputRoutes;
import io.janela.streams.RecordTime;
import io.janela.survey.asking.avro.StoredSurveys;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The survey-service's topology. Every node, store and internal topic has an explicit name.
 *
 * <pre>
 * whatsapp.conversation-resolutions (any key) ─ valid? ─ contact key (user id, or phone → alias) ─ repartition ─┐
 * whatsapp.inbound-messages ─────────────────────────────────────────────────────────────────────────────────────┤
 * whatsapp.dispatch-results ─ a survey's? ───────────────────────────────────────────────────────────────────────┤
 * whatsapp.message-statuses ─ a survey's delivered/read? ─┬─ keyed by contact ──────────────────────────────────┤
 *                                                         └─ keyed by phone ─ alias ─ repartition ───────────────┤
 * whatsapp.window-events ─ OPENED / CLOSING_SOON ────────────────────────────────────────────────────────────────┤
 *                                                                                                                ▼
 *                      survey-asker (stores survey-contacts, survey-deadline-index; wall-clock punctuator)
 *                          ├─► whatsapp.survey-events
 *                          └─► whatsapp.outbound-requests (to dispatch)
 * </pre>
 *
 * The contact-keyed inputs must have the same number of partitions (they feed one processor and one store); the
 * repartition topics are created with that number ({@link SurveySettings#partitions()}).
 */
public final class SurveyTopology {

    public static final String ASKER = "survey-asker";
    static final String RESOLUTIONS_BY_CONTACT = "survey-resolutions-by-contact";
    static final String STATUSES_BY_CONTACT = "survey-statuses-by-contact";

    private SurveyTopology() {}

    /** The topology on its own, for TopologyTestDriver and the benchmark. */
    public static Topology build(
            JanelaTopics topics, Serde<StoredSurveys> stored, SurveySettings settings, SurveyMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        define(builder, topics, stored, settings, metrics);
        return builder.build();
    }

    /** Adds the topology to a builder (Spring's {@code StreamsBuilderFactoryBean} builds and runs it). */
    public static void define(
            StreamsBuilder builder,
            JanelaTopics topics,
            Serde<StoredSurveys> stored,
            SurveySettings settings,
            SurveyMetrics metrics) {
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(StoreNames.SURVEYS), Serdes.String(), stored)
                        .withCachingDisabled());
        builder.addStateStore(DeadlineIndex.storeBuilder(StoreNames.DEADLINES));

        TopicDescriptor<String, ContactAlias> aliasTopic = topics.contactAliases();
        GlobalKTable<String, ContactAlias> aliases =
                ContactStreams.aliases(builder, aliasTopic, "survey-contact-aliases", StoreNames.ALIASES);

        TopicDescriptor<String, ConversationResolution> resolutionTopic = topics.conversationResolutions();
        KStream<String, SurveyInput> resolutions = byContact(
                        source(builder, resolutionTopic, "survey-resolutions")
                                .peek(
                                        (key, resolution) -> requireValid(resolution),
                                        Named.as("survey-resolutions-check"))
                                .selectKey(
                                        (key, resolution) -> Facts.ownKey(resolution),
                                        Named.as("survey-resolutions-own-key")),
                        resolutionTopic,
                        aliases,
                        resolution -> resolution.getRecipientUserId() == null,
                        "survey-resolutions",
                        RESOLUTIONS_BY_CONTACT,
                        settings.partitions(),
                        true)
                .mapValues(SurveyInput.Resolved::new, Named.as("survey-resolutions-as-input"));

        KStream<String, SurveyInput> inbound = source(builder, topics.inboundMessages(), "survey-inbound-messages")
                .filter((key, message) -> message != null, Named.as("survey-inbound-present"))
                .mapValues(SurveyInput.Inbound::new, Named.as("survey-inbound-as-input"));

        KStream<String, SurveyInput> results = source(builder, topics.dispatchResults(), "survey-dispatch-results")
                .filter((key, result) -> Facts.isSurveyResult(result), Named.as("survey-dispatch-results-of-surveys"))
                .mapValues(SurveyInput.Dispatched::new, Named.as("survey-dispatch-results-as-input"));

        TopicDescriptor<String, MessageStatus> statusTopic = topics.messageStatuses();
        KStream<String, SurveyInput> statuses = byContact(
                        source(builder, statusTopic, "survey-message-statuses")
                                .filter(
                                        (key, status) -> Facts.isSurveyDelivery(status),
                                        Named.as("survey-statuses-of-surveys")),
                        statusTopic,
                        aliases,
                        status -> status.getRecipientUserId() == null,
                        "survey-statuses",
                        STATUSES_BY_CONTACT,
                        settings.partitions(),
                        false)
                .mapValues(SurveyInput.Status::new, Named.as("survey-statuses-as-input"));

        KStream<String, SurveyInput> windows = source(builder, topics.windowEvents(), "survey-window-events")
                .filter(
                        (key, event) -> event != null
                                && (event.getType() == WindowEventType.OPENED
                                        || event.getType() == WindowEventType.CLOSING_SOON),
                        Named.as("survey-window-events-relevant"))
                .mapValues(SurveyInput.Window::new, Named.as("survey-window-events-as-input"));

        KStream<String, SurveyOutput> outputs = inbound.merge(resolutions, Named.as("survey-merge-resolutions"))
                .merge(results, Named.as("survey-merge-dispatch-results"))
                .merge(statuses, Named.as("survey-merge-statuses"))
                .merge(windows, Named.as("survey-merge-window-events"))
                .process(
                        () -> new SurveyProcessor(settings, metrics),
                        Named.as(ASKER),
                        StoreNames.SURVEYS,
                        StoreNames.DEADLINES);

        // Both topics are deleted by time: records carry the time they are written, not the survey event's own
        // (README "Record timestamps").
        OutputRoutes.split(outputs, "survey-output-")
                .route(
                        SurveyOutput.Event.class,
                        SurveyOutput.Event::event,
                        RecordTime.WRITTEN,
                        topics.surveyEvents(),
                        "survey-events",
                        "events")
                .route(
                        SurveyOutput.Request.class,
                        SurveyOutput.Request::request,
                        RecordTime.WRITTEN,
                        topics.outboundRequests(),
                        "survey-requests",
                        "requests");
    }

    /** A resolution that names no business number or recipient cannot be surveyed: it goes to the dead letters. */
    private static void requireValid(ConversationResolution resolution) {
        if (!Facts.isValid(resolution)) {
            throw new IllegalArgumentException(
                    "a conversation resolution needs a phoneNumberId and a recipient (user id or phone number)");
        }
    }

    /**
     * Moves records to the task of their contact ({@link ContactStreams#byContact}) through a repartition topic of
     * {@code partitions} partitions; with {@code repartitionAll}, the records keyed by contact too.
     */
    private static <V> KStream<String, V> byContact(
            KStream<String, V> records,
            TopicDescriptor<String, V> topic,
            GlobalKTable<String, ContactAlias> aliases,
            Predicate<V> keyedByPhoneNumber,
            String name,
            String repartitionName,
            int partitions,
            boolean repartitionAll) {
        return ContactStreams.byContact(
                records,
                aliases,
                keyedByPhoneNumber,
                name,
                Repartitioned.with(topic.keySerde(), topic.valueSerde())
                        .withName(repartitionName)
                        .withNumberOfPartitions(partitions),
                repartitionAll);
    }
}
