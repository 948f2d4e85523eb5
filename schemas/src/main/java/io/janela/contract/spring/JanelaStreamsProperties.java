package io.janela.contract.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings every Janela Kafka Streams app shares.
 *
 * @param instanceId this instance's stable name for static group membership ({@code group.instance.id}, KIP-345),
 *     e.g. the StatefulSet pod name ({@code JANELA_STREAMS_INSTANCE_ID}). With it, an instance that is replaced or
 *     restarted within the session timeout (45 s) gets its own tasks back at once, without a rebalance and without
 *     waiting out its dead predecessor's session. Empty (the default): dynamic membership, and an instance leaves its
 *     group when it closes. Two live instances must never share one.
 */
@ConfigurationProperties("janela.streams")
public record JanelaStreamsProperties(String instanceId) {

    public boolean staticMembership() {
        return instanceId != null && !instanceId.isBlank();
    }
}
