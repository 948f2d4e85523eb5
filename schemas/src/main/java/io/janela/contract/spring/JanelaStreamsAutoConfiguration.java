package io.janela.contract.spring;

import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * The runtime policies every Janela Kafka Streams app shares:
 *
 * <ul>
 *   <li>a stream thread that dies is replaced ({@code REPLACE_THREAD}): it resumes from the last committed offsets,
 *       which is how a record deferred by {@code DeadLetterDeserializationExceptionHandler} (registry unreachable) is
 *       read again, and an unexpected failure does not take the whole app down;
 *   <li>an instance leaves its group when it closes, so that a restarted or rolled instance gets its tasks back in
 *       seconds instead of waiting for the session timeout;
 *   <li>transactional state stores (KIP-892, Kafka Streams 4.4): under exactly-once a store applies its writes only
 *       when the changelog transaction commits, so a crash leaves no aborted write in RocksDB and Streams need not
 *       wipe the task's state and restore it from the changelog.
 * </ul>
 */
@AutoConfiguration
@ConditionalOnClass({KafkaStreams.class, StreamsBuilderFactoryBeanConfigurer.class})
public class JanelaStreamsAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JanelaStreamsAutoConfiguration.class);

    @Bean
    StreamsBuilderFactoryBeanConfigurer janelaStreamsRuntimePolicies() {
        return factoryBean -> {
            Properties streams = factoryBean.getStreamsConfiguration();
            streams.put(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, true);
            factoryBean.setStreamsConfiguration(streams);
            factoryBean.setLeaveGroupOnClose(true);
            factoryBean.setStreamsUncaughtExceptionHandler(exception -> {
                log.error("A stream thread failed; replacing it to resume from the last commit", exception);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
        };
    }
}
