package io.janela.testsupport.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

class TopologyNamesTest {

    @Test
    void aTopologyThatNamesEverythingPasses() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("read-in"))
                .groupByKey(Grouped.as("by-key"))
                .count(Named.as("count"), Materialized.as("counts"))
                .toStream(Named.as("changes"))
                .to("out", Produced.with(Serdes.String(), Serdes.Long()).withName("write-out"));

        TopologyNames.assertAllNamed(builder.build());
    }

    @Test
    void generatedNodeAndStoreNamesAreReported() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .count()
                .toStream()
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));

        assertThat(TopologyNames.generatedNames(builder.build().describe()))
                .contains("KSTREAM-SOURCE-0000000000")
                .anyMatch(name -> name.startsWith("KSTREAM-AGGREGATE-STATE-STORE-"));
        assertThatThrownBy(() -> TopologyNames.assertAllNamed(builder.build()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("KSTREAM-SOURCE-0000000000");
    }
}
