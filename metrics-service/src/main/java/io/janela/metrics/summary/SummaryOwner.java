package io.janela.metrics.summary;

import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Which instance holds a phone number's summary. The store is partitioned by phone number id, so with several
 * instances one of them owns each key; that needs {@code application.server} (host:port of this instance's HTTP
 * server) in the Streams configuration. Without it, every key is answered here (one instance).
 */
final class SummaryOwner {

    private final Supplier<KafkaStreams> streams;
    private final HostInfo self;

    SummaryOwner(Supplier<KafkaStreams> streams, String applicationServer) {
        this.streams = streams;
        this.self = applicationServer == null || applicationServer.isBlank()
                ? null
                : HostInfo.buildFromEndpoint(applicationServer);
    }

    /** The other instance that owns {@code phoneNumberId}, or empty when it is this one (or none is known). */
    Optional<HostInfo> remoteOwner(String phoneNumberId) {
        KafkaStreams running = streams.get();
        if (self == null || running == null || running.state() != KafkaStreams.State.RUNNING) {
            return Optional.empty();
        }
        KeyQueryMetadata metadata = running.queryMetadataForKey(
                SummaryStream.STORE, phoneNumberId, Serdes.String().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            throw new SummaryUnavailableException("the owner of the summary is not known yet (rebalancing)", null);
        }
        HostInfo owner = metadata.activeHost();
        return owner.equals(self) ? Optional.empty() : Optional.of(owner);
    }
}
