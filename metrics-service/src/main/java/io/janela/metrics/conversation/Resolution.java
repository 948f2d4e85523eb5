package io.janela.metrics.conversation;

import java.time.Instant;
import java.util.Objects;

/**
 * A resolution of the conversation a company system reported (whatsapp.conversation-resolutions), until its
 * {@link Reopens measurement} is emitted, and a while after (to know a repeated record).
 *
 * @param resolutionId the producer's id, if it gave one
 * @param team the team that resolved it, as written
 * @param emitted its measurement was emitted
 * @param arrivedAt processing time at which it reached the conversation (for the settle delay)
 */
record Resolution(Instant resolvedAt, String resolutionId, String team, boolean emitted, long arrivedAt) {

    Resolution {
        Objects.requireNonNull(resolvedAt, "resolvedAt");
    }

    /** The same resolution: the same producer id, or (without one) the same time. */
    boolean sameAs(Resolution other) {
        if (resolutionId != null && other.resolutionId != null) {
            return resolutionId.equals(other.resolutionId);
        }
        return resolvedAt.equals(other.resolvedAt);
    }

    Resolution asEmitted() {
        return new Resolution(resolvedAt, resolutionId, team, true, arrivedAt);
    }
}
