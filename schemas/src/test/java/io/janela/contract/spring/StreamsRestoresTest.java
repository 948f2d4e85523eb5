package io.janela.contract.spring;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.assertj.core.util.introspection.PropertyOrFieldSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/** Issue 14: every restore says whether it started from the store's committed offset or from scratch. */
class StreamsRestoresTest {

    private static final TopicPartition CONTACTS = new TopicPartition("app-contacts-changelog", 2);

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final StreamsRestores restores = new StreamsRestores(new RestoreMeters(registry));
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger restoresLog = (Logger) LoggerFactory.getLogger(StreamsRestores.class);

    @BeforeEach
    void captureTheLog() {
        log.start();
        restoresLog.addAppender(log);
    }

    @AfterEach
    void releaseTheLog() {
        restoresLog.detachAppender(log);
    }

    @Test
    void countsARestoreFromTheStoresCommittedOffsetAsFromCheckpoint() {
        restores.onRestoreStart(CONTACTS, "contacts", 4_845, 4_900);
        restores.onBatchRestored(CONTACTS, "contacts", 4_899, 53);
        restores.onRestoreEnd(CONTACTS, "contacts", 53);

        assertThat(started("contacts", "checkpoint")).isEqualTo(1);
        assertThat(restored("contacts", "checkpoint")).isEqualTo(53);
        assertThat(registry.find(RestoreMeters.STARTED).tag("from", "scratch").counter())
                .as("nothing restored from scratch")
                .isNull();
        assertThat(lines())
                .containsExactly(
                        "Restore started: store=contacts changelog=app-contacts-changelog partition=2 from=checkpoint"
                                + " startingOffset=4845 endingOffset=4900 offsetsToRestore=55",
                        "Restore ended: store=contacts changelog=app-contacts-changelog partition=2 from=checkpoint"
                                + " restored=53");
    }

    @Test
    void countsARestoreFromTheChangelogsBeginningAsFromScratch() {
        restores.onRestoreStart(CONTACTS, "contacts", 0, 4_900);
        restores.onBatchRestored(CONTACTS, "contacts", 999, 1_000);
        restores.onBatchRestored(CONTACTS, "contacts", 4_899, 3_844);
        restores.onRestoreSuspended(CONTACTS, "contacts", 4_844);

        assertThat(started("contacts", "scratch")).isEqualTo(1);
        assertThat(restored("contacts", "scratch")).isEqualTo(4_844);
        assertThat(lines())
                .containsExactly(
                        "Restore started: store=contacts changelog=app-contacts-changelog partition=2 from=scratch"
                                + " startingOffset=0 endingOffset=4900 offsetsToRestore=4900",
                        "Restore suspended (the task moved away): store=contacts changelog=app-contacts-changelog"
                                + " partition=2 from=scratch restored=4844");
    }

    @Test
    void aChangelogWithNothingInItIsNoRestoreFromScratch() {
        restores.onRestoreStart(CONTACTS, "open-counts", 0, 0);
        restores.onRestoreEnd(CONTACTS, "open-counts", 0);

        assertThat(started("open-counts", "checkpoint")).isEqualTo(1);
        assertThat(registry.find(RestoreMeters.STARTED).tag("from", "scratch").counter())
                .isNull();
    }

    @Test
    void registersEveryStoreOfTheTopologyAtZeroAsStreamsStartsBeforeAnyRestore() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey(Grouped.as("by-key"))
                .count(Named.as("count"), Materialized.as("counts"));
        builder.globalTable("aliases", Materialized.as("aliases"));
        List<KafkaStreams.State> told = new ArrayList<>();
        KafkaStreams.StateListener listener =
                restores.registeringStoresOf(() -> builder.build().describe(), (now, before) -> told.add(now));

        listener.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.CREATED);

        for (String store : List.of("counts", "aliases")) {
            for (String from : List.of("checkpoint", "scratch")) {
                assertThat(started(store, from)).as("%s from %s", store, from).isZero();
                assertThat(restored(store, from)).as("%s from %s", store, from).isZero();
            }
        }
        assertThat(registry.getMeters()).hasSize(8);
        assertThat(told).containsExactly(KafkaStreams.State.REBALANCING);
    }

    @Test
    void isTheRestoreListenerOfEveryStreamsAppWithItsMetersInMicrometer() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JanelaStreamsAutoConfiguration.class))
                .withBean(MeterRegistry.class, () -> registry)
                .run(context -> {
                    StreamsBuilderFactoryBean factoryBean = JanelaStreamsAutoConfigurationTest.factoryBean();
                    context.getBean(StreamsBuilderFactoryBeanConfigurer.class).configure(factoryBean);

                    Object listener = PropertyOrFieldSupport.EXTRACTION.getValueOf("stateRestoreListener", factoryBean);
                    assertThat(listener).isInstanceOf(StreamsRestores.class);

                    ((StreamsRestores) listener).onRestoreStart(CONTACTS, "contacts", 0, 10);
                    assertThat(started("contacts", "scratch")).isEqualTo(1);
                });
    }

    private double started(String store, String from) {
        return registry.get(RestoreMeters.STARTED)
                .tag("store", store)
                .tag("from", from)
                .counter()
                .count();
    }

    private double restored(String store, String from) {
        return registry.get(RestoreMeters.RESTORED)
                .tag("store", store)
                .tag("from", from)
                .counter()
                .count();
    }

    /** The log lines, without the duration (which varies). */
    private List<String> lines() {
        return log.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .map(line -> line.replaceAll(" durationMs=\\d+", ""))
                .toList();
    }
}
