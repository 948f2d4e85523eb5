package io.janela.metrics.summary;

import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The other instances whose tasks hold part of the summary stores: every instance holds the phone numbers' buckets of
 * its own partitions. Knowing them needs {@code application.server} (host:port of each instance's HTTP server) in the
 * Streams configuration; without it this instance is taken to be the only one.
 */
final class SummaryPeers {

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;

    SummaryPeers(Supplier<KafkaStreams> streams, String applicationServer) {
        this.streams = streams;
        this.self = applicationServer == null || applicationServer.isBlank()
                ? null
                : HostInfo.buildFromEndpoint(applicationServer);
    }

    /** The other instances holding summary stores now. */
    List<HostInfo> others() {
        KafkaStreams running = streams.get();
        if (self == null) {
            return List.of();
        }
        if (running == null || running.state() != KafkaStreams.State.RUNNING) {
            throw new SummaryUnavailableException("Kafka Streams is not running yet", null);
        }
        return running.streamsMetadataForStore(SummaryStream.STORE).stream()
                .map(StreamsMetadata::hostInfo)
                .filter(host -> !host.equals(self))
                .distinct()
                .toList();
    }
}
