package io.janela.metrics.topology;

import io.janela.avro.ContactAlias;
import io.janela.avro.ConversationResolution;
import io.janela.avro.DeliveryLatencyMeasurement;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageFailureMeasurement;
import io.janela.avro.MessagePricingMeasurement;
import io.janela.avro.MessageSentMeasurement;
import io.janela.avro.MessageStatus;
import io.janela.avro.ReadLatencyMeasurement;
import io.janela.avro.ResolutionMeasurement;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.ResultKind;
import io.janela.avro.SlaEvent;
import io.janela.avro.SurveyEvent;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.ValueSerdes;
import io.janela.metrics.conversation.AppReplies;
import io.janela.metrics.conversation.BusinessMessage;
import io.janela.metrics.conversation.ConversationStream;
import io.janela.metrics.conversation.SurveyAnswerEvents;
import io.janela.metrics.message.MessageKeys;
import io.janela.metrics.message.MessageStream;
import io.janela.metrics.sla.SlaSettings;
import io.janela.metrics.state.BusinessMessageHandover;
import io.janela.metrics.state.ConversationState;
import io.janela.metrics.state.MessageState;
import io.janela.metrics.state.SummaryBucket;
import io.janela.metrics.streams.MeasurementSettings;
import io.janela.metrics.streams.MeasurementTopics;
import io.janela.metrics.streams.StoreCoders;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.metrics.summary.SummarySettings;
import io.janela.metrics.summary.SummaryStream;
import io.janela.streams.ContactStreams;
import io.janela.streams.RecordTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The metrics-service's Kafka Streams topology, every node, store and internal topic named. Two subtopologies do
 * the work; two more only re-key (statuses by message, conversation-resolutions by contact), and the contact aliases
 * are a global store that every phone-keyed record is looked up in ({@link ContactResolution}):
 *
 * <pre>
 * subtopology 1: message-statuses ─ (phone-keyed ones resolved by contact) ─► statuses-by-message (to 3)
 *
 * subtopology 0, keyed by contact
 * dispatch-results ─ (phone-keyed ones resolved by contact) ─► dispatch-results-by-message (to 3)
 *      │ (SENT: a result is its message's BusinessMessage, in the contact's own task)
 *      ▼
 * business-messages-by-contact (from 3) ─┐
 * inbound-messages ─┐                    ▼
 * window-events ────┼─► metrics-conversations ──► response times, first responses, windows opened / closed,
 * message-echoes ───┤        │                    resolutions (reopened or not), SLA notices (whatsapp.sla-events)
 * survey-events ────┤        │ (echoes: replies sent from the WhatsApp Business app, business messages of responder
 * conversation-  ───┘        │  kind APP; survey answers, which wait for no reply)
 * resolutions (re-keyed by contact in subtopology 4, phone numbers resolved by contact)
 *                            ▼
 * windows opened / closed, first responses, response times, survey events ──► metrics-summary (buckets per phone
 *                                                                               number, per task)
 *
 * subtopology 3, keyed by message
 * statuses-by-message ─────────┐
 * dispatch-results-by-message ─┴─► metrics-messages ──► delivery / read latency, failures, messages sent, messages
 *                                        │              priced
 *                                        └─► a BusinessMessage per message no result named ──►
 *                                            business-messages-by-contact (to 0)
 * </pre>
 *
 * <p>The message step's measurements go to their topics from subtopology 3 and nothing of them reaches the summary,
 * so the two steps share no node and no store (README "Subtopologies").
 *
 * <p>Every measurement goes to a topic of its own; with exactly-once processing each is written once, together with
 * the state that says it was emitted.
 */
public final class MetricsTopology {

    /** What the message step measures; the conversation step gives the other measurements and the SLA notices. */
    private static final Set<Class<?>> MESSAGE_MEASUREMENTS = Set.of(
            DeliveryLatencyMeasurement.class,
            ReadLatencyMeasurement.class,
            MessageFailureMeasurement.class,
            MessageSentMeasurement.class,
            MessagePricingMeasurement.class);

    private MetricsTopology() {}

    /**
     * Everything the topology needs.
     *
     * @param inputPartitions the contact-keyed input topics' partition count, given to every repartition topic: Kafka
     *     Streams would size each from the topics of the subtopology that writes it (conversation-resolutions may have
     *     any count), and without a join nothing checks that they agree
     */
    public record Parts(
            JanelaTopics topics,
            MeasurementTopics measurements,
            ValueSerdes serdes,
            MeasurementSettings settings,
            SummarySettings summary,
            StreamsMeters meters,
            SlaSettings sla,
            int inputPartitions) {}

    /**
     * The input topics whose records are keyed by contact and meet in tasks by partition number: they must all have
     * {@link Parts#inputPartitions()} partitions. whatsapp.conversation-resolutions (any key, any count) is re-keyed
     * first; whatsapp.contact-aliases is a global store.
     */
    public static List<String> contactKeyedInputs(JanelaTopics topics) {
        return List.of(
                topics.inboundMessages().name(),
                topics.windowEvents().name(),
                topics.messageStatuses().name(),
                topics.dispatchResults().name(),
                topics.messageEchoes().name(),
                topics.surveyEvents().name());
    }

    /** The topology alone, for tests and benchmarks. */
    public static Topology build(Parts parts, Properties streamsConfig) {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder, parts);
        return builder.build(streamsConfig);
    }

    /** Adds the measurement and summary streams to {@code builder}. */
    public static void addTo(StreamsBuilder builder, Parts parts) {
        StoreCoders.enable();
        JanelaTopics topics = parts.topics();
        KStream<String, InboundMessage> inbound =
                builder.stream(topics.inboundMessages().name(), consumed(topics.inboundMessages(), "inbound-messages"));
        KStream<String, WindowEvent> windowEvents =
                builder.stream(topics.windowEvents().name(), consumed(topics.windowEvents(), "window-events"));
        KStream<String, MessageStatus> statuses =
                builder.stream(topics.messageStatuses().name(), consumed(topics.messageStatuses(), "message-statuses"));
        KStream<String, DispatchResult> results = builder.stream(
                        topics.dispatchResults().name(), consumed(topics.dispatchResults(), "dispatch-results"))
                .filter((key, result) -> measured(result), Named.as("metrics-dispatch-results-measured"));
        GlobalKTable<String, ContactAlias> aliases = ContactStreams.aliases(
                builder, topics.contactAliases(), "metrics-contact-aliases-source", "metrics-contact-aliases");

        KStream<String, MessageStatus> statusesByContact = ContactResolution.resolve(
                "statuses",
                statuses,
                status -> status.getRecipientUserId() == null
                        && status.getRecipientId() != null
                        && !"group".equals(status.getRecipientType()),
                aliases,
                topics.messageStatuses().valueSerde(),
                parts.inputPartitions());
        KStream<String, DispatchResult> resultsByContact = ContactResolution.resolve(
                "dispatch-results",
                results,
                result -> result.getContactId() == null,
                aliases,
                topics.dispatchResults().valueSerde(),
                parts.inputPartitions());

        KStream<String, BusinessMessage> appReplies = ContactResolution.resolve(
                        "echoes",
                        builder.stream(
                                        topics.messageEchoes().name(),
                                        consumed(topics.messageEchoes(), "message-echoes"))
                                .filter((key, echo) -> AppReplies.isReply(echo), Named.as("metrics-echoes-that-reply")),
                        AppReplies::keyedByPhoneNumber,
                        aliases,
                        topics.messageEchoes().valueSerde(),
                        parts.inputPartitions())
                .mapValues(AppReplies::businessMessage, Named.as("metrics-echoes-as-business-messages"));

        KStream<String, SurveyEvent> surveyEvents =
                builder.stream(topics.surveyEvents().name(), consumed(topics.surveyEvents(), "survey-events"));
        KStream<String, SurveyEvent> surveyAnswers = surveyEvents.filter(
                (key, event) -> SurveyAnswerEvents.namesAnAnswer(event), Named.as("metrics-survey-answers"));

        MessageInputs.InOneTask messageInputs = MessageInputs.inOneTask(statusesByContact, resultsByContact);
        KStream<String, Object> messageOutputs = widen(MessageInputs.byMessage(
                        "statuses",
                        messageInputs.statuses(),
                        MessageKeys::of,
                        MessageKeys::naming,
                        topics.messageStatuses(),
                        parts.inputPartitions()))
                .merge(
                        widen(MessageInputs.byMessage(
                                "dispatch-results",
                                messageInputs.results(),
                                MessageKeys::of,
                                MessageKeys::naming,
                                topics.dispatchResults(),
                                parts.inputPartitions())),
                        Named.as("metrics-message-inputs"))
                .process(
                        new MessageStream(parts.serdes().forType(MessageState.class), parts.settings(), parts.meters()),
                        Named.as("metrics-messages"));
        Map<String, KStream<String, Object>> messageBranches = messageOutputs
                .split(Named.as("metrics-message-outputs-"))
                .branch((key, value) -> value instanceof BusinessMessage, Branched.as("business-messages"))
                .defaultBranch(Branched.as("measurements"));
        KStream<String, BusinessMessage> businessMessages = MessageInputs.byContact(
                        messageBranches.get("metrics-message-outputs-business-messages"),
                        parts.serdes().forType(BusinessMessageHandover.class),
                        parts.inputPartitions())
                .merge(
                        resultsByContact
                                .filter(
                                        (key, result) -> result.getOutcome() == DispatchOutcome.SENT,
                                        Named.as("metrics-dispatch-results-sent"))
                                .mapValues(
                                        MessageStream::businessMessage,
                                        Named.as("metrics-dispatch-results-as-business-messages")),
                        Named.as("metrics-business-messages"));

        KStream<String, ConversationResolution> resolutions =
                ResolutionInput.byContact(builder, topics.conversationResolutions(), aliases, parts.inputPartitions());

        KStream<String, SpecificRecord> conversationOutputs = widen(inbound)
                .merge(widen(windowEvents), Named.as("metrics-customer-events"))
                .merge(widen(resolutions), Named.as("metrics-customer-events-and-resolutions"))
                .merge(widen(businessMessages), Named.as("metrics-conversation-inputs"))
                .merge(widen(appReplies), Named.as("metrics-conversation-app-replies"))
                .merge(widen(surveyAnswers), Named.as("metrics-conversation-survey-answers"))
                .process(
                        new ConversationStream(
                                parts.serdes().forType(ConversationState.class),
                                parts.settings(),
                                parts.meters(),
                                parts.sla()),
                        Named.as("metrics-conversations"));

        sinks(
                messageBranches.get("metrics-message-outputs-measurements"),
                "metrics-message-measurement-",
                MESSAGE_MEASUREMENTS::contains,
                parts.measurements(),
                topics.slaEvents());
        sinks(
                widen(conversationOutputs),
                "metrics-measurement-",
                kind -> !MESSAGE_MEASUREMENTS.contains(kind),
                parts.measurements(),
                topics.slaEvents());
        KStream<String, Object> summaryInputs = widen(conversationOutputs)
                .merge(
                        widen(surveyEvents.filter(
                                (key, event) -> event != null && SummaryStream.counts(event),
                                Named.as("metrics-survey-summary-events"))),
                        Named.as("metrics-summary-inputs"));
        SummaryStream.addTo(summaryInputs, parts.serdes().forType(SummaryBucket.class), parts.summary());
    }

    /**
     * Only SENT and FAILED outcomes (of a request, or of the fallback template sent after Meta closed the window)
     * measure anything; the rest need not take the resolution detour.
     */
    private static boolean measured(DispatchResult result) {
        return result != null
                && (result.getKind() == ResultKind.OUTCOME || result.getKind() == ResultKind.FALLBACK_OUTCOME)
                && (result.getOutcome() == DispatchOutcome.SENT || result.getOutcome() == DispatchOutcome.FAILED);
    }

    /**
     * Writes each kind of measurement that {@code kinds} takes to its topic. Each step's measurements go to their
     * topics from its own subtopology: merged into one stream, they would tie the message and conversation steps into
     * one subtopology, whose tasks would read all the inputs of both (README "Subtopologies").
     */
    private static void sinks(
            KStream<String, Object> measurements,
            String prefix,
            Predicate<Class<?>> kinds,
            MeasurementTopics topics,
            TopicDescriptor<String, SlaEvent> slaEvents) {
        BranchedKStream<String, Object> byKind = measurements.split(Named.as(prefix));
        sink(byKind, kinds, ResponseTimeMeasurement.class, topics.responseTimes(), "response-times");
        sink(byKind, kinds, FirstResponseMeasurement.class, topics.firstResponses(), "first-responses");
        sink(byKind, kinds, WindowOpenedMeasurement.class, topics.windowsOpened(), "windows-opened");
        sink(byKind, kinds, WindowClosedMeasurement.class, topics.windowsClosed(), "windows-closed");
        sink(byKind, kinds, DeliveryLatencyMeasurement.class, topics.deliveryLatencies(), "delivery-latencies");
        sink(byKind, kinds, ReadLatencyMeasurement.class, topics.readLatencies(), "read-latencies");
        sink(byKind, kinds, MessageFailureMeasurement.class, topics.failures(), "failures");
        sink(byKind, kinds, MessageSentMeasurement.class, topics.messagesSent(), "messages-sent");
        sink(byKind, kinds, MessagePricingMeasurement.class, topics.messagesPriced(), "messages-priced");
        sink(byKind, kinds, ResolutionMeasurement.class, topics.resolutions(), "resolutions");
        sink(byKind, kinds, SlaEvent.class, slaEvents, "sla-events");
        byKind.noDefaultBranch();
    }

    /**
     * Measurements and SLA notices are written with the time of writing as their record timestamp, not their
     * {@code occurredAt}: the topics are deleted by time, and one dated earlier than their retention would be deleted
     * before the recorder read it (README "Record timestamps").
     */
    private static <T> void sink(
            BranchedKStream<String, Object> byKind,
            Predicate<Class<?>> kinds,
            Class<T> type,
            TopicDescriptor<String, T> topic,
            String name) {
        if (!kinds.test(type)) {
            return;
        }
        byKind.branch(
                (key, value) -> type.isInstance(value),
                Branched.withConsumer(
                        stream -> RecordTime.WRITTEN
                                .mapValues(stream, type::cast, Named.as("metrics-" + name + "-typed"))
                                .to(
                                        topic.name(),
                                        Produced.with(topic.keySerde(), topic.valueSerde())
                                                .withName("metrics-" + name + "-sink")),
                        name));
    }

    private static <V> Consumed<String, V> consumed(TopicDescriptor<String, V> topic, String name) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName("metrics-" + name + "-source");
    }

    /** A stream of a narrower value type seen as a stream of objects: values are only read, never written back. */
    @SuppressWarnings("unchecked")
    static KStream<String, Object> widen(KStream<String, ? extends Object> stream) {
        return (KStream<String, Object>) stream;
    }
}
