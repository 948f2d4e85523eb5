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
import io.janela.contract.TopicNames;
import io.janela.contract.ValueSerdes;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.decision.DecisionMetrics;
import io.janela.dispatch.decision.DecisionTopology;
import io.janela.dispatch.pricing.CostEstimator;
import io.janela.dispatch.pricing.RateCard;
import io.janela.dispatch.rules.Decider;
import io.janela.dispatch.topics.DispatchTopics;
import io.janela.serde.registry.MockSchemaRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A TopologyTestDriver over dispatch's Streams topologies, with a {@code mock://} registry of its own scope, the
 * fixture business number, and typed pipes for every topic. Close it after each test.
 */
public final class TopologyHarness implements AutoCloseable {

    public static final DispatchProperties.Decision DECISION = new DispatchProperties.Decision(
            Duration.ofMinutes(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofMillis(250),
            Duration.ofDays(7),
            Duration.ofDays(3));
    public static final DispatchProperties.Topics OWN_TOPICS = new DispatchProperties.Topics(
            "whatsapp.dispatch.send-commands", "whatsapp.dispatch.send-journal", "whatsapp.dispatch.template-sync");

    private final String scope;
    private final TopologyTestDriver driver;
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
        this.scope = scope;
        Fixtures.businessNumber(); // trusts Avro's generated classes
        ValueSerdes values = ValueSerdes.janela(Map.of("schema.registry.url", "mock://" + scope));
        JanelaTopics shared = JanelaTopics.create(TopicNames.defaults(), values);
        topics = DispatchTopics.create(shared, OWN_TOPICS, values);
        Properties config = streamsConfig(scope);
        driver = new TopologyTestDriver(topology.build(topics, decisionSettings(), config), config, Fixtures.NOW);
        requests = input(shared.outboundRequests());
        rawRequests = driver.createInputTopic(
                shared.outboundRequests().name(), new ByteArraySerializer(), new ByteArraySerializer());
        windows = input(shared.windowState());
        aliases = input(shared.contactAliases());
        preferences = input(shared.userPreferences());
        templates = input(shared.templates());
        templateEvents = input(shared.templateEvents());
        templateSync = input(topics.templateSync());
        statuses = input(shared.messageStatuses());
        accountEvents = input(shared.accountEvents());
        senderResults = input(shared.dispatchResults());
        commands = output(topics.sendCommands());
        results = output(shared.dispatchResults());
        deadLetters = driver.createOutputTopic(
                shared.outboundRequestsDeadLetter().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        catalog = output(shared.templates());
    }

    /** Builds a topology for the harness. */
    @FunctionalInterface
    public interface TopologyFactory {
        Topology build(DispatchTopics topics, DecisionTopology.Settings settings, Properties config);
    }

    private DecisionTopology.Settings decisionSettings() {
        RateCard rateCard = RateCard.read(getClass().getResourceAsStream("/rate-card-example.csv"), "example");
        return new DecisionTopology.Settings(
                topics,
                DECISION,
                new BusinessNumbers(List.of(Fixtures.businessNumber())),
                new Decider(DECISION.windowSafetyMargin(), new CostEstimator(rateCard)),
                new DecisionMetrics(meters));
    }

    public static Properties streamsConfig(String applicationId) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        config.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        config.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "whatsapp.outbound-requests.dead-letter");
        try {
            config.put(
                    StreamsConfig.STATE_DIR_CONFIG,
                    Files.createTempDirectory("dispatch-ttd-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return config;
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

    public void advance(Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    private <V> TestInputTopic<String, V> input(TopicDescriptor<String, V> topic) {
        return driver.createInputTopic(
                topic.name(),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer(),
                Fixtures.NOW,
                Duration.ZERO);
    }

    private <V> TestOutputTopic<String, V> output(TopicDescriptor<String, V> topic) {
        return driver.createOutputTopic(
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    @Override
    public void close() {
        driver.close();
        MockSchemaRegistry.dropScope(scope);
    }
}
