package io.janela.dispatch;

import io.janela.avro.AccountEvent;
import io.janela.avro.ContactAlias;
import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageStatus;
import io.janela.avro.OutboundRequest;
import io.janela.avro.SendCommand;
import io.janela.avro.Template;
import io.janela.avro.TemplateEvent;
import io.janela.avro.UserPreference;
import io.janela.contract.JanelaTopics;
import io.janela.contract.TopicDescriptor;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.decision.DecisionMetrics;
import io.janela.dispatch.decision.DecisionTopology;
import io.janela.dispatch.pricing.CostEstimator;
import io.janela.dispatch.pricing.RateCard;
import io.janela.dispatch.rules.Decider;
import io.janela.dispatch.topics.DispatchTopics;
import io.janela.testfixtures.TopologyFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * A TopologyTestDriver over dispatch's Streams topologies, with a {@code mock://} registry of its own scope, the
 * fixture business number, and typed pipes for every topic. Close it after each test.
 */
public final class TopologyHarness implements AutoCloseable {

    public static final DispatchProperties.Decision DECISION = new DispatchProperties.Decision(
            Duration.ofMinutes(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(60),
            Duration.ofMillis(250),
            Duration.ofDays(7),
            Duration.ofDays(3),
            DispatchProperties.MessagingLimit.REFUSE);
    public static final DispatchProperties.Topics OWN_TOPICS = new DispatchProperties.Topics(
            "whatsapp.dispatch.send-commands", "whatsapp.dispatch.send-journal", "whatsapp.dispatch.template-sync");

    private final TopologyFixture fixture;
    public final DispatchTopics topics;
    public final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    public final TestInputTopic<String, OutboundRequest> requests;
    public final TestInputTopic<byte[], byte[]> rawRequests;
    public final TestInputTopic<String, ContactWindow> windows;
    public final TestInputTopic<String, ContactAlias> aliases;
    public final TestInputTopic<String, UserPreference> preferences;
    public final TestInputTopic<String, Template> templates;
    public final TestInputTopic<String, TemplateEvent> templateEvents;
    public final TestInputTopic<String, Template> templateSync;
    public final TestInputTopic<String, MessageStatus> statuses;
    public final TestInputTopic<String, AccountEvent> accountEvents;
    /** Results as the sender writes them (outside the Streams application). */
    public final TestInputTopic<String, DispatchResult> senderResults;

    public final TestOutputTopic<String, SendCommand> commands;
    public final TestOutputTopic<String, DispatchResult> results;
    public final TestOutputTopic<byte[], byte[]> deadLetters;
    public final TestOutputTopic<String, Template> catalog;

    /** @param topology builds the topology under test from the topics, settings and metrics given */
    public TopologyHarness(String scope, TopologyFactory topology) {
        this(scope, DECISION, topology);
    }

    /** @param decision the decision's settings, instead of {@link #DECISION} */
    public TopologyHarness(String scope, DispatchProperties.Decision decision, TopologyFactory topology) {
        Fixtures.businessNumber(); // trusts Avro's generated classes
        fixture = TopologyFixture.create(scope);
        ValueSerdes values = fixture.valueSerdes();
        JanelaTopics shared = fixture.topics();
        topics = DispatchTopics.create(shared, OWN_TOPICS, values);
        Properties config = fixture.properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, scope);
        config.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "whatsapp.outbound-requests.dead-letter");
        fixture.start(topology.build(topics, decisionSettings(decision), config), Fixtures.NOW);
        requests = input(shared.outboundRequests());
        rawRequests = fixture.rawInput(shared.outboundRequests());
        windows = input(shared.windowState());
        aliases = input(shared.contactAliases());
        preferences = input(shared.userPreferences());
        templates = input(shared.templates());
        templateEvents = input(shared.templateEvents());
        templateSync = input(topics.templateSync());
        statuses = input(shared.messageStatuses());
        accountEvents = input(shared.accountEvents());
        senderResults = input(shared.dispatchResults());
        commands = fixture.output(topics.sendCommands());
        results = fixture.output(shared.dispatchResults());
        deadLetters = fixture.output(shared.outboundRequestsDeadLetter());
        catalog = fixture.output(shared.templates());
    }

    /** Builds a topology for the harness. */
    @FunctionalInterface
    public interface TopologyFactory {
        Topology build(DispatchTopics topics, DecisionTopology.Settings settings, Properties config);
    }

    private DecisionTopology.Settings decisionSettings(DispatchProperties.Decision decision) {
        RateCard rateCard = RateCard.read(getClass().getResourceAsStream("/rate-card-example.csv"), "example");
        return new DecisionTopology.Settings(
                topics,
                decision,
                new BusinessNumbers(List.of(Fixtures.businessNumber())),
                new Decider(decision.windowSafetyMargin(), new CostEstimator(rateCard)),
                new DecisionMetrics(meters));
    }

    /** Asserts that no send command and no result is left unread, then closes the driver. */
    public void closeDrained() {
        try {
            if (!commands.isEmpty() || !results.isEmpty()) {
                throw new AssertionError("records left unread: send commands " + commands.readRecordsToList()
                        + ", results " + results.readRecordsToList());
            }
        } finally {
            close();
        }
    }

    /** A timestamped key-value store of the topology under test (a global one included), as its processors see it. */
    public <V> KeyValueStore<String, ValueAndTimestamp<V>> timestampedStore(String name) {
        return fixture.driver().getTimestampedKeyValueStore(name);
    }

    public void advance(Duration duration) {
        fixture.advance(duration);
    }

    private <V> TestInputTopic<String, V> input(TopicDescriptor<String, V> topic) {
        return fixture.input(topic, Fixtures.NOW, Duration.ZERO);
    }

    @Override
    public void close() {
        fixture.close();
    }
}
