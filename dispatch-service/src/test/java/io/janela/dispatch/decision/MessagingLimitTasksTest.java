package io.janela.dispatch.decision;

import static io.janela.dispatch.Fixtures.NOW;
import static io.janela.dispatch.Fixtures.sendCommand;
import static io.janela.dispatch.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.Recipient;
import io.janela.avro.SendCommand;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.ZoneId;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The messaging limit as several tasks of one instance run it (TopologyTestDriver runs one): each task counts the
 * portfolios of its own partitions, and all share the instance's gauges. One portfolio of two numbers, the user
 * reached from both.
 */
class MessagingLimitTasksTest {

    private static final String PORTFOLIO = "portfolio-1";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DecisionMetrics metrics = new DecisionMetrics(registry);
    private final BusinessNumbers numbers = new BusinessNumbers(List.of(
            new BusinessNumber("1001", "waba-1", null, "token", null, 80, ZoneId.of("UTC"), PORTFOLIO),
            new BusinessNumber("1002", "waba-2", null, "token", null, 80, ZoneId.of("UTC"), PORTFOLIO)));

    @Test
    void oneUserReachedFromTwoNumbersOfAPortfolioCountsOnceAndOnlyTheOwningTaskReportsIt() {
        Task owner = new Task();
        Task other = new Task();

        owner.send(command("r-1", "1001", "US.1"));
        owner.send(command("r-2", "1002", "US.1"));
        owner.send(command("r-3", "1002", "US.2"));

        assertThat(owner.context.forwarded()).hasSize(3);
        assertThat(reach()).as("US.1 from two numbers is one user").isEqualTo(2);

        owner.punctuate();
        other.punctuate();
        assertThat(reach())
                .as("the task that does not own the portfolio leaves its gauge alone")
                .isEqualTo(2);

        owner.processor.close();
        assertThat(reach()).as("a task that closed no longer shows its count").isZero();
        other.processor.close();
    }

    private double reach() {
        return registry.get("janela.dispatch.messaging.limit.reach")
                .tag("portfolio_id", PORTFOLIO)
                .gauge()
                .value();
    }

    private static SendCommand command(String requestId, String phoneNumberId, String userId) {
        return sendCommand(
                text(requestId, "hello")
                        .setPhoneNumberId(phoneNumberId)
                        .setRecipient(new Recipient(null, userId))
                        .build(),
                null);
    }

    /** One task: the processor with a reach store of its own and an empty account-events store. */
    private final class Task {

        final MockProcessorContext<String, DecisionOutput> context;
        final MessagingLimitProcessor processor =
                new MessagingLimitProcessor(numbers, DispatchProperties.MessagingLimit.REFUSE, metrics);

        Task() {
            Properties config = new Properties();
            config.put(StreamsConfig.APPLICATION_ID_CONFIG, "messaging-limit-tasks-test");
            config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            context = new MockProcessorContext<>(config);
            context.setCurrentSystemTimeMs(NOW.toEpochMilli());
            KeyValueStore<String, Long> reach = Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(DecisionTopology.PORTFOLIO_REACH_STORE),
                            Serdes.String(),
                            Serdes.Long())
                    .withLoggingDisabled()
                    .build();
            // No account event is read back here (no limit): its values are never deserialised.
            TimestampedKeyValueStore<String, byte[]> accountEvents = Stores.timestampedKeyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(DecisionTopology.ACCOUNT_EVENTS_STORE),
                            Serdes.String(),
                            Serdes.ByteArray())
                    .withLoggingDisabled()
                    .build();
            // Nothing is held (refuse): its values are never deserialised either.
            KeyValueStore<String, byte[]> held = Stores.keyValueStoreBuilder(
                            Stores.inMemoryKeyValueStore(DecisionTopology.HELD_SENDS_STORE),
                            Serdes.String(),
                            Serdes.ByteArray())
                    .withLoggingDisabled()
                    .build();
            held.init(context.getStateStoreContext(), held);
            context.addStateStore(held);
            reach.init(context.getStateStoreContext(), reach);
            accountEvents.init(context.getStateStoreContext(), accountEvents);
            context.addStateStore(reach);
            context.addStateStore(accountEvents);
            processor.init(context);
        }

        void send(SendCommand command) {
            processor.process(new Record<>(PORTFOLIO, command, NOW.toEpochMilli()));
        }

        void punctuate() {
            for (CapturedPunctuator punctuator : context.scheduledPunctuators()) {
                punctuator.getPunctuator().punctuate(NOW.toEpochMilli());
            }
        }
    }
}
