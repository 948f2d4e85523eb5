package io.janela.window.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.AccountEvent;
import io.janela.avro.CallEvent;
import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.WindowEvent;
import io.janela.contract.AccountEventKey;
import io.janela.contract.ContactKey;
import io.janela.contract.JanelaTopics;
import io.janela.serde.SpecificAvroSerde;
import io.janela.streams.DeadlineRebuild;
import io.janela.streams.StreamsGuarantees;
import io.janela.testfixtures.MetaRecords;
import io.janela.testfixtures.TopologyFixture;
import io.janela.window.rules.WindowPolicy;
import io.janela.window.tracking.avro.StoredContact;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The window topology in a TopologyTestDriver, with its input and output topics, a wall clock the test advances,
 * and the meters it recorded. Each driver has its own registry scope and state directory; {@link #close()} drops
 * both.
 */
final class TrackingDriver implements AutoCloseable {

    static final TrackingSettings SETTINGS = new TrackingSettings(
            WindowPolicy.meta(), Duration.ofSeconds(1), 10_000, Duration.ofMinutes(5), DeadlineRebuild.Pace.DEFAULT);

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final JanelaTopics topics;
    final Topology topology;
    final TopologyTestDriver driver;
    final TestInputTopic<String, InboundMessage> inbound;
    final TestInputTopic<String, MessageStatus> statuses;
    final TestInputTopic<String, DispatchResult> results;
    final TestInputTopic<String, CallEvent> calls;
    final TestInputTopic<String, MessageEcho> echoes;
    final TestInputTopic<String, AccountEvent> accountEvents;
    final TestInputTopic<byte[], byte[]> rawInbound;
    final TestOutputTopic<String, WindowEvent> events;
    final TestOutputTopic<String, ContactWindow> states;
    final TestOutputTopic<String, ContactAlias> aliases;
    final TestOutputTopic<byte[], byte[]> deadLetters;

    private final TopologyFixture fixture;

    /** A driver with its own registry scope and state directory, the wall clock at {@code start}. */
    static TrackingDriver start(TrackingSettings settings, Instant start) {
        return new TrackingDriver(settings, start, TopologyFixture.create("janela-window-test"));
    }

    private TrackingDriver(TrackingSettings settings, Instant start, TopologyFixture fixture) {
        this.fixture = fixture;
        topics = fixture.topics();
        var storedContacts = SpecificAvroSerde.forValues(StoredContact.class, fixture.serdeConfig());
        Properties properties = fixture.properties();
        StreamsGuarantees.exactlyOnceWithDeadLetters(
                properties, topics.windowDeadLetter().name());
        topology = WindowTopology.build(topics, storedContacts, settings, new WindowMetrics(meters));
        driver = fixture.start(topology, start);
        inbound = fixture.input(topics.inboundMessages());
        statuses = fixture.input(topics.messageStatuses());
        results = fixture.input(topics.dispatchResults());
        calls = fixture.input(topics.callEvents());
        echoes = fixture.input(topics.messageEchoes());
        accountEvents = fixture.input(topics.accountEvents());
        rawInbound = fixture.rawInput(topics.inboundMessages());
        events = fixture.output(topics.windowEvents());
        states = fixture.output(topics.windowState());
        aliases = fixture.output(topics.contactAliases());
        deadLetters = fixture.output(topics.windowDeadLetter());
    }

    void customerWrites(InboundMessage message) {
        inbound.pipeInput(
                new ContactKey(message.getPhoneNumberId(), message.getContactId()).format(),
                message,
                message.getTimestamp().toEpochMilli());
    }

    void statusArrives(MessageStatus status) {
        statuses.pipeInput(
                new ContactKey(status.getPhoneNumberId(), status.getContactId()).format(),
                status,
                status.getTimestamp().toEpochMilli());
    }

    void dispatchReports(DispatchResult result) {
        results.pipeInput(
                new ContactKey(result.getPhoneNumberId(), result.getContactId()).format(),
                result,
                result.getDecidedAt().toEpochMilli());
    }

    void callArrives(CallEvent call) {
        calls.pipeInput(
                new ContactKey(call.getPhoneNumberId(), call.getContactId()).format(),
                call,
                call.getTimestamp().toEpochMilli());
    }

    void echoArrives(MessageEcho echo) {
        echoes.pipeInput(
                new ContactKey(echo.getPhoneNumberId(), echo.getContactId()).format(),
                echo,
                echo.getTimestamp().toEpochMilli());
    }

    void accountEventArrives(AccountEvent event) {
        accountEvents.pipeInput(
                AccountEventKey.of(event), event, event.getTimestamp().toEpochMilli());
    }

    void advance(Duration by) {
        driver.advanceWallClockTime(by);
    }

    KeyValueStore<Object, Object> store(String name) {
        return driver.getKeyValueStore(name);
    }

    long deadlineCount() {
        try (var all =
                driver.<Object, Object>getKeyValueStore(StoreNames.DEADLINES).all()) {
            long count = 0;
            while (all.hasNext()) {
                all.next();
                count++;
            }
            return count;
        }
    }

    double openWindowsGauge() {
        var gauge = meters.find(WindowMetrics.OPEN)
                .tag("phone_number_id", MetaRecords.PHONE_NUMBER_ID)
                .gauge();
        return gauge == null ? 0 : gauge.value();
    }

    double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Topology tests end here: nothing else came out on any output topic. */
    void assertNothingElseEmitted() {
        assertThat(events.readKeyValuesToList()).as("window events").isEmpty();
        assertThat(states.readKeyValuesToList()).as("window states").isEmpty();
        assertThat(aliases.readKeyValuesToList()).as("contact aliases").isEmpty();
        assertThat(deadLetters.readKeyValuesToList()).as("dead letters").isEmpty();
    }

    @Override
    public void close() {
        fixture.close();
    }
}
