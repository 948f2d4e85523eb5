package io.janela.metrics.testing;

import io.janela.avro.ContactAlias;
import io.janela.avro.ConversationResolution;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.SurveyEvent;
import io.janela.avro.WindowEvent;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.ValueSerdes;
import io.janela.metrics.sla.SlaSettings;
import io.janela.metrics.streams.MeasurementSettings;
import io.janela.metrics.streams.MeasurementTopics;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.metrics.summary.SummarySettings;
import io.janela.metrics.topology.MetricsTopology;
import io.janela.streams.StreamsGuarantees;
import io.janela.testfixtures.MetaRecords;
import io.janela.testfixtures.TopologyFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The metrics topology in a {@link TopologyTestDriver}, with an in-process schema registry of its own, input topics
 * to pipe Janela's records into and the measurement topics to read. Wall-clock time starts at {@link MetaRecords#T0}
 * plus one day and moves only when a test advances it.
 */
public final class TopologyHarness implements AutoCloseable {

    public static final Duration SETTLE = Duration.ofSeconds(30);

    private final TopologyFixture fixture = TopologyFixture.create("metrics-service");
    private final Topology topology;
    private final TopologyTestDriver driver;
    private final JanelaTopics topics;
    private final MeasurementTopics measurements;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    public final TestInputTopic<String, InboundMessage> inbound;
    public final TestInputTopic<String, WindowEvent> windowEvents;
    public final TestInputTopic<String, MessageStatus> statuses;
    public final TestInputTopic<String, DispatchResult> dispatchResults;
    public final TestInputTopic<String, ContactAlias> aliases;
    public final TestInputTopic<String, MessageEcho> echoes;
    public final TestInputTopic<String, SurveyEvent> surveyEvents;
    public final TestInputTopic<String, ConversationResolution> resolutions;
    public final TestInputTopic<byte[], byte[]> rawStatuses;

    public TopologyHarness() {
        this(SETTLE, StreamsConfig.EXACTLY_ONCE_V2);
    }

    /**
     * With another processing guarantee. TopologyTestDriver (4.2.1) does not hand out the dead-letter records of a
     * deserialization handler under exactly_once_v2; a real broker does (MetricsServiceIT shows it).
     */
    public TopologyHarness(Duration settleDelay, String guarantee) {
        this(settleDelay, guarantee, SlaSettings.NONE);
    }

    /** With SLA targets and schedules, for the SLA notices. */
    public TopologyHarness(SlaSettings sla) {
        this(SETTLE, StreamsConfig.EXACTLY_ONCE_V2, sla);
    }

    private TopologyHarness(Duration settleDelay, String guarantee, SlaSettings sla) {
        ValueSerdes serdes = fixture.valueSerdes();
        topics = fixture.topics();
        measurements = MeasurementTopics.create(MeasurementTopics.Names.defaults(), serdes);
        MetricsTopology.Parts parts = new MetricsTopology.Parts(
                topics,
                measurements,
                serdes,
                new MeasurementSettings(
                        settleDelay,
                        Duration.ofHours(48),
                        1000,
                        Duration.ofDays(8),
                        Duration.ofSeconds(1),
                        10_000,
                        10_000),
                new SummarySettings(Duration.ofMinutes(5), Duration.ofDays(35)),
                new StreamsMeters(meters),
                sla,
                1);
        Properties config = fixture.properties();
        StreamsGuarantees.exactlyOnceWithDeadLetters(
                config, topics.metricsDeadLetter().name());
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        topology = MetricsTopology.build(parts, config);
        driver = fixture.start(topology, MetaRecords.T0.plus(Duration.ofDays(1)));
        inbound = fixture.input(topics.inboundMessages());
        windowEvents = fixture.input(topics.windowEvents());
        statuses = fixture.input(topics.messageStatuses());
        dispatchResults = fixture.input(topics.dispatchResults());
        aliases = fixture.input(topics.contactAliases());
        echoes = fixture.input(topics.messageEchoes());
        surveyEvents = fixture.input(topics.surveyEvents());
        resolutions = fixture.input(topics.conversationResolutions());
        rawStatuses = fixture.rawInput(topics.messageStatuses());
    }

    /** Janela's topics as the topology reads and writes them (the SLA notices on {@code slaEvents()}). */
    public JanelaTopics topics() {
        return topics;
    }

    public MeasurementTopics measurementTopics() {
        return measurements;
    }

    public SimpleMeterRegistry meters() {
        return meters;
    }

    /** The topology under test, as {@code MetricsTopology.build} made it. */
    public Topology topology() {
        return topology;
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    /** Moves the wall clock, firing the punctuations that became due. */
    public void advance(Duration duration) {
        fixture.advance(duration);
    }

    /** Waits out the settle delay, so that everything pending is emitted. */
    public void settle() {
        advance(SETTLE.plusSeconds(1));
    }

    /** Every record written so far to the measurement topic, read once. */
    public <T> List<T> read(TopicDescriptor<String, T> topic) {
        return fixture.output(topic).readValuesToList();
    }

    public <T> List<TestRecord<String, T>> readRecords(TopicDescriptor<String, T> topic) {
        return fixture.output(topic).readRecordsToList();
    }

    /** The records on the dead-letter topic. */
    public List<TestRecord<byte[], byte[]>> deadLetters() {
        return fixture.output(topics.metricsDeadLetter()).readRecordsToList();
    }

    /** Every measurement topic is empty (what was there has been read). */
    public List<String> unreadMeasurements() {
        List<String> unread = new ArrayList<>();
        for (Object value : read(topics.slaEvents())) {
            unread.add(topics.slaEvents().name() + ": " + value);
        }
        for (TopicDescriptor<String, ?> topic : measurements.all()) {
            for (Object value : read(topic)) {
                unread.add(topic.name() + ": " + value);
            }
        }
        return unread;
    }

    public double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Whether a counter with these tags exists (at 0 or more). */
    public boolean registered(String name, String... tags) {
        return meters.find(name).tags(tags).counter() != null;
    }

    public void pipe(InboundMessage message) {
        inbound.pipeInput(message.getPhoneNumberId() + ":" + message.getContactId(), message, message.getTimestamp());
    }

    public void pipe(WindowEvent event) {
        windowEvents.pipeInput(event.getPhoneNumberId() + ":" + event.getContactId(), event, event.getOccurredAt());
    }

    public void pipe(MessageStatus status) {
        statuses.pipeInput(MetaRecords.keyOf(status), status, status.getTimestamp());
    }

    /** Keyed as dispatch keys it: by contact, or by the recipient's phone number when it could not resolve one. */
    public void pipe(DispatchResult result) {
        pipe(result, result.getPhoneNumberId() + ":" + result.getContactId());
    }

    public void pipe(DispatchResult result, String key) {
        Instant at = result.getSentAt() != null ? result.getSentAt() : result.getDecidedAt();
        dispatchResults.pipeInput(key, result, at);
    }

    /** Keyed as ingress keys it: by the customer's business-scoped id, else by phone number. */
    public void pipe(MessageEcho echo) {
        echoes.pipeInput(echo.getPhoneNumberId() + ":" + echo.getContactId(), echo, echo.getTimestamp());
    }

    /** Keyed as survey-service keys it: by contact, at the event's time. */
    public void pipe(SurveyEvent event) {
        surveyEvents.pipeInput(event.getPhoneNumberId() + ":" + event.getContactId(), event, event.getOccurredAt());
    }

    /** Keyed as a company system might: by anything (here its own id). */
    public void pipe(ConversationResolution resolution) {
        resolutions.pipeInput(resolution.getResolutionId(), resolution, resolution.getResolvedAt());
    }

    public void pipe(ContactAlias alias) {
        aliases.pipeInput(alias.getPhoneNumberId() + ":" + alias.getWaId(), alias, alias.getSeenAt());
    }

    @Override
    public void close() {
        fixture.close();
    }
}
