package io.janela.metrics.conversation;

import io.janela.avro.ResponderKind;
import io.janela.metrics.state.BusinessMessageHandover;
import java.time.Instant;
import java.util.Objects;

/**
 * A message the business sent to a contact, at its send time: the dispatch result's {@code sentAt} for messages Janela
 * sent, the {@code sent} status's timestamp for messages sent outside Janela. The message stream hands exactly one of
 * these per message id to the conversation stream.
 *
 * @param arrivedAt processing time at which it reached the conversation (for the settle delay)
 * @param team the team the request named, as written (null: none, or not sent by Janela)
 * @param agentId the agent the request named, as written (null: none, or not sent by Janela); the summary's per-agent
 *     figures, never a meter label
 */
public record BusinessMessage(
        String messageId, Instant at, ResponderKind responderKind, long arrivedAt, String team, String agentId) {

    /** A business message that names no team nor agent. */
    public BusinessMessage(String messageId, Instant at, ResponderKind responderKind, long arrivedAt) {
        this(messageId, at, responderKind, arrivedAt, null, null);
    }

    public BusinessMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(responderKind, "responderKind");
    }

    /**
     * As the message step hands it to the conversation step on the internal topic keyed by contact (without
     * {@code arrivedAt}: the conversation step sets its own).
     */
    public BusinessMessageHandover handover() {
        return new BusinessMessageHandover(messageId, at.toEpochMilli(), responderKind.name(), team, agentId);
    }

    /** The business message a handover carries, not yet arrived. */
    public static BusinessMessage of(BusinessMessageHandover handover) {
        return new BusinessMessage(
                handover.getMessageId(),
                Instant.ofEpochMilli(handover.getAt()),
                ResponderKind.valueOf(handover.getResponderKind()),
                0,
                handover.getTeam(),
                handover.getAgentId());
    }

    BusinessMessage arrived(long time) {
        return new BusinessMessage(messageId, at, responderKind, time, team, agentId);
    }
}
