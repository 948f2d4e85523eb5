package io.janela.testfixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.janela.avro.CallEvent;
import io.janela.contract.JanelaTopics;
import io.janela.serde.registry.MockSchemaRegistry;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

class TopologyFixtureTest {

    @Test
    void pipesRecordsByDescriptorThroughItsOwnRegistryScopeAndCleansUp() {
        TopologyFixture fixture = TopologyFixture.create("fixture-test");
        JanelaTopics topics = fixture.topics();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        topics.callEvents().name(),
                        Consumed.with(
                                        topics.callEvents().keySerde(),
                                        topics.callEvents().valueSerde())
                                .withName("inbound"))
                .to(
                        topics.callEvents().name() + ".copy",
                        Produced.with(
                                        topics.callEvents().keySerde(),
                                        topics.callEvents().valueSerde())
                                .withName("copy"));
        Path stateDir = Path.of(fixture.properties().getProperty(StreamsConfig.STATE_DIR_CONFIG));
        CallEvent message = MetaRecords.call("call-user-connect.json", MetaRecords.ANA, "call-1", MetaRecords.T0);

        fixture.start(builder.build(), MetaRecords.T0);
        fixture.input(topics.callEvents()).pipeInput(MetaRecords.CONTACT_KEY, message, MetaRecords.T0);
        var copy = fixture.driver()
                .createOutputTopic(
                        topics.callEvents().name() + ".copy",
                        topics.callEvents().keySerde().deserializer(),
                        topics.callEvents().valueSerde().deserializer());

        assertThat(copy.readKeyValue().value).isEqualTo(message);
        assertThat(MockSchemaRegistry.forScope(fixture.registryScope()).subjects())
                .isNotEmpty();
        assertThat(stateDir).exists();

        fixture.close();

        assertThat(stateDir).doesNotExist();
        assertThat(MockSchemaRegistry.forScope(fixture.registryScope()).subjects())
                .isEmpty();
        assertThatThrownBy(() -> fixture.start(builder.build(), Instant.EPOCH))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void givesEachFixtureItsOwnRegistryScope() {
        try (TopologyFixture one = TopologyFixture.create("same-app");
                TopologyFixture two = TopologyFixture.create("same-app")) {
            assertThat(one.registryScope()).isNotEqualTo(two.registryScope());
            assertThat(one.serdeConfig()).containsEntry("schema.registry.url", "mock://" + one.registryScope());
        }
    }
}
