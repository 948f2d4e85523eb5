package io.janela.contract.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.assertj.core.util.introspection.PropertyOrFieldSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;

/** Issue 14: Kafka Streams' meters never read a closing state store, and are gone before Streams closes anything. */
class StreamsMetersTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JanelaStreamsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

    @TempDir
    Path stateDir;

    @Test
    void bindsClientTaskAndThreadMetricsButNeverAStateStoresMetrics() throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (TopologyTestDriver driver = countingApp()) {
            assertThat(driver.metrics().keySet())
                    .as("Kafka Streams registers state-store metrics (the precondition)")
                    .anySatisfy(name -> assertThat(name.group()).isEqualTo(StreamsMeters.STATE_STORE_GROUP));
            StreamsMeters.Binding binding = new StreamsMeters.Binding(registry);

            binding.bind("defaultKafkaStreamsBuilder", driver::metrics);

            assertThat(meterNames(registry)).anyMatch(name -> name.startsWith("kafka.stream.task."));
            assertThat(meterNames(registry))
                    .as("no meter reads a state store")
                    .noneMatch(name -> name.startsWith("kafka.stream.state."));
            assertThat(registry.getMeters())
                    .allSatisfy(meter ->
                            assertThat(meter.getId().getTag("spring.id")).isEqualTo("defaultKafkaStreamsBuilder"));

            binding.unbind();
            assertThat(meterNames(registry)).noneMatch(name -> name.startsWith("kafka."));
        }
    }

    @Test
    void replacesBootsListenerAndUnbindsTheMetersWhenStreamsBeginsToCloseBeforeAnythingCloses() {
        runner.run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            StreamsBuilderFactoryBean factoryBean = JanelaStreamsAutoConfigurationTest.factoryBean();
            // What Spring Boot's Kafka metrics auto-configuration adds before Janela's configurer runs.
            factoryBean.addListener(new KafkaStreamsMicrometerListener(registry));

            context.getBean(StreamsBuilderFactoryBeanConfigurer.class).configure(factoryBean);

            assertThat(factoryBean.getListeners())
                    .noneMatch(KafkaStreamsMicrometerListener.class::isInstance)
                    .singleElement()
                    .isInstanceOf(StreamsMeters.Binding.class);
            StreamsMeters.Binding binding =
                    (StreamsMeters.Binding) factoryBean.getListeners().get(0);
            KafkaStreams.StateListener stateListener = stateListener(factoryBean);
            StreamsStateTracker tracker = context.getBean(StreamsStateTracker.class);
            try (TopologyTestDriver driver = countingApp()) {
                binding.bind("defaultKafkaStreamsBuilder", driver::metrics);
                stateListener.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
                assertThat(binding.bound()).isTrue();
                assertThat(meterNames(registry)).anyMatch(name -> name.startsWith("kafka.stream."));

                // KafkaStreams.close() makes this transition before it stops any thread or closes any store.
                stateListener.onChange(KafkaStreams.State.PENDING_SHUTDOWN, KafkaStreams.State.RUNNING);

                assertThat(binding.bound()).isFalse();
                assertThat(meterNames(registry)).noneMatch(name -> name.startsWith("kafka."));
                assertThat(tracker.state())
                        .as("the health tracker still follows the state")
                        .isEqualTo(KafkaStreams.State.PENDING_SHUTDOWN);
            }
            // Spring Kafka's factory bean tells its listeners after close() returned: nothing left to do.
            binding.streamsRemoved("defaultKafkaStreamsBuilder", null);
            assertThat(binding.bound()).isFalse();
        });
    }

    @Test
    void bindsNoMetersButStillTellsTheTrackerInServicesWithoutAMeterRegistry() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JanelaStreamsAutoConfiguration.class))
                .run(context -> {
                    StreamsBuilderFactoryBean factoryBean = JanelaStreamsAutoConfigurationTest.factoryBean();
                    context.getBean(StreamsBuilderFactoryBeanConfigurer.class).configure(factoryBean);

                    assertThat(factoryBean.getListeners()).isEmpty();
                    stateListener(factoryBean).onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
                    assertThat(context.getBean(StreamsStateTracker.class).state())
                            .isEqualTo(KafkaStreams.State.RUNNING);
                });
    }

    private TopologyTestDriver countingApp() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey(Grouped.as("by-key"))
                .count(Named.as("count"), Materialized.as("counts"));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "app");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "dummy:9092");
        config.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory(stateDir, "state").toString());
        config.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
        config.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        return new TopologyTestDriver(builder.build(), config);
    }

    private static List<String> meterNames(MeterRegistry registry) {
        return registry.getMeters().stream()
                .map(Meter::getId)
                .map(Meter.Id::getName)
                .toList();
    }

    private static KafkaStreams.StateListener stateListener(StreamsBuilderFactoryBean factoryBean) {
        return (KafkaStreams.StateListener) PropertyOrFieldSupport.EXTRACTION.getValueOf("stateListener", factoryBean);
    }
}
