package io.janela.contract.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.Ordered;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

class JanelaStreamsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JanelaStreamsAutoConfiguration.class));

    @Test
    void configuresStreamsAppsToReplaceFailedThreadsAndLeaveTheGroupOnClose() {
        runner.run(context -> {
            StreamsBuilderFactoryBean factoryBean = factoryBean();
            context.getBean(StreamsBuilderFactoryBeanConfigurer.class).configure(factoryBean);

            assertThat(factoryBean)
                    .extracting("streamsUncaughtExceptionHandler")
                    .as("a REPLACE_THREAD handler is installed")
                    .isNotNull();
            assertThat(factoryBean).extracting("leaveGroupOnClose").isEqualTo(true);
            assertThat(factoryBean.getStreamsConfiguration())
                    .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        });
    }

    @Test
    void isAppliedAfterEveryOtherConfigurerSoThatItsMetersAndStateListenerStay() {
        runner.run(context -> assertThat(context.getBean(StreamsBuilderFactoryBeanConfigurer.class)
                        .getOrder())
                .isEqualTo(Ordered.LOWEST_PRECEDENCE));
    }

    @Test
    void givesAnInstanceWithAStableNameStaticMembershipAndKeepsItInTheGroupOnClose() {
        runner.withPropertyValues("janela.streams.instance-id=window-service-0").run(context -> {
            StreamsBuilderFactoryBean factoryBean = factoryBean();
            context.getBean(StreamsBuilderFactoryBeanConfigurer.class).configure(factoryBean);

            assertThat(factoryBean.getStreamsConfiguration())
                    .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "window-service-0")
                    .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app");
            assertThat(factoryBean).extracting("leaveGroupOnClose").isEqualTo(false);
        });
    }

    @Test
    void isReadyOnlyOnceRunningAndDeadOnlyInError() {
        runner.withConfiguration(AutoConfigurations.of(JanelaStreamsHealthAutoConfiguration.class))
                .run(context -> {
                    StreamsStateTracker tracker = context.getBean(StreamsStateTracker.class);
                    HealthIndicator readiness = context.getBean("kafkaStreams", HealthIndicator.class);
                    HealthIndicator liveness = context.getBean("kafkaStreamsLiveness", HealthIndicator.class);

                    assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
                    tracker.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.CREATED);
                    assertThat(readiness.health().getStatus())
                            .as("the first rebalance restores; nothing answers yet")
                            .isEqualTo(Status.DOWN);
                    tracker.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
                    assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
                    tracker.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);
                    assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
                    assertThat(liveness.health().getStatus()).isEqualTo(Status.UP);

                    tracker.onChange(KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.REBALANCING);
                    tracker.onChange(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);
                    assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
                    assertThat(liveness.health().getStatus()).isEqualTo(Status.DOWN);
                });
    }

    @Test
    void refusesATopologyThatLeavesAnInternalTopicOrStoreToAGeneratedName() {
        runner.run(context -> {
            StreamsBuilderFactoryBean factoryBean = factoryBean();
            context.getBean(StreamsBuilderFactoryBeanConfigurer.class).configure(factoryBean);
            Properties config = factoryBean.getStreamsConfiguration();
            assertThat(config).containsEntry(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);

            // As Spring's StreamsBuilderFactoryBean creates the builder: with a TopologyConfig of the app's settings.
            TopologyConfig topologyConfig = new TopologyConfig(new StreamsConfig(config));
            StreamsBuilder unnamed = new StreamsBuilder(topologyConfig);
            unnamed.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                    .groupByKey()
                    .count();
            assertThatThrownBy(() -> unnamed.build(config))
                    .isInstanceOf(TopologyException.class)
                    .hasMessageContaining("not been named");

            StreamsBuilder named = new StreamsBuilder(topologyConfig);
            named.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                    .groupByKey(Grouped.as("by-key"))
                    .count(Named.as("count"), Materialized.as("counts"));
            assertThat(named.build(config).describe().toString()).contains("counts");
        });
    }

    /** A factory bean as Spring Kafka creates it, before any configurer ran. */
    static StreamsBuilderFactoryBean factoryBean() {
        return new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(new HashMap<>(Map.of(
                StreamsConfig.APPLICATION_ID_CONFIG,
                "app",
                StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
                "localhost:9092"))));
    }

    @Test
    void staysOutOfServicesWithoutKafkaStreams() {
        runner.withClassLoader(new FilteredClassLoader(KafkaStreams.class))
                .run(context -> assertThat(context).doesNotHaveBean(StreamsBuilderFactoryBeanConfigurer.class));
    }
}
