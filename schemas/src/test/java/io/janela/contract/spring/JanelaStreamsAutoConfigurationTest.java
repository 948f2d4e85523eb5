package io.janela.contract.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

class JanelaStreamsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JanelaStreamsAutoConfiguration.class));

    @Test
    void configuresStreamsAppsToReplaceFailedThreadsAndLeaveTheGroupOnClose() {
        runner.run(context -> {
            StreamsBuilderFactoryBean factoryBean = new StreamsBuilderFactoryBean();
            context.getBean(StreamsBuilderFactoryBeanConfigurer.class).configure(factoryBean);

            assertThat(factoryBean)
                    .extracting("streamsUncaughtExceptionHandler")
                    .as("a REPLACE_THREAD handler is installed")
                    .isNotNull();
            assertThat(factoryBean).extracting("leaveGroupOnClose").isEqualTo(true);
        });
    }

    @Test
    void staysOutOfServicesWithoutKafkaStreams() {
        runner.withClassLoader(new FilteredClassLoader(KafkaStreams.class))
                .run(context -> assertThat(context).doesNotHaveBean(StreamsBuilderFactoryBeanConfigurer.class));
    }
}
