package io.janela.metrics.conversation;

import io.janela.avro.ResolutionMeasurement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether customers come back after a resolution: a customer message that awaits a reply (not a reaction, nor a tap
 * on a satisfaction survey: the conversation keeps only those) later than a resolution and within {@code
 * reopenWithin} of it reopens it. Each resolution gives one {@link ResolutionMeasurement}: {@code reopened} at its
 * first such message, or not once the time has passed without one.
 *
 * <p>Like the other measurements, one waits the settle delay after the last record it depends on (the reopening
 * message, or the resolution itself) so that records out of order within it give the in-order result. Whether the
 * reopen time has passed is read on the wall clock (plus the settle delay), as for the SLA notices: a backlog settles
 * at once.
 */
final class Reopens {

    /** The measurements due now, and when to look again (wall-clock ms; null: nothing pending). */
    record Settlement(List<ResolutionMeasurement> measurements, Long nextCheckAt) {}

    private Reopens() {}

    /** Settles the resolutions that can be settled at {@code now}, marking them emitted in {@code conversation}. */
    static Settlement settle(Conversation conversation, long now, Duration settleDelay, Duration reopenWithin) {
        List<Resolution> kept = new ArrayList<>();
        List<ResolutionMeasurement> measurements = new ArrayList<>();
        Long next = null;
        for (Resolution resolution : conversation.resolutions()) {
            if (resolution.emitted()) {
                kept.add(resolution);
                continue;
            }
            Instant until = resolution.resolvedAt().plus(reopenWithin);
            CustomerMessage reopening = firstAfter(conversation, resolution.resolvedAt(), until);
            // Both the resolution and what settles it (its reopening message, or the end of the reopen time) are a
            // settle delay old: a message out of order within it gives the in-order result.
            long settledAt =
                    Math.max(resolution.arrivedAt(), reopening != null ? reopening.arrivedAt() : until.toEpochMilli())
                            + settleDelay.toMillis();
            if (now >= settledAt) {
                measurements.add(measurement(conversation, resolution, reopening, reopenWithin));
                kept.add(resolution.asEmitted());
            } else {
                kept.add(resolution);
                next = next == null ? settledAt : Math.min(next, settledAt);
            }
        }
        conversation.resolutions(kept);
        return new Settlement(measurements, next);
    }

    private static CustomerMessage firstAfter(Conversation conversation, Instant resolvedAt, Instant until) {
        for (CustomerMessage message : conversation.customers()) {
            if (message.at().isAfter(resolvedAt) && !message.at().isAfter(until)) {
                return message;
            }
        }
        return null;
    }

    private static ResolutionMeasurement measurement(
            Conversation conversation, Resolution resolution, CustomerMessage reopening, Duration reopenWithin) {
        return ResolutionMeasurement.newBuilder()
                .setMeasurementId(conversation.contactKey() + ":resolution:"
                        + resolution.resolvedAt().toEpochMilli())
                .setPhoneNumberId(conversation.phoneNumberId())
                .setContactId(conversation.contactId())
                .setOccurredAt(
                        reopening != null
                                ? reopening.at()
                                : resolution.resolvedAt().plus(reopenWithin))
                .setResolvedAt(resolution.resolvedAt())
                .setResolutionId(resolution.resolutionId())
                .setTeam(resolution.team())
                .setReopened(reopening != null)
                .setReopenedAt(reopening == null ? null : reopening.at())
                .setReopeningMessageId(reopening == null ? null : reopening.messageId())
                .setReopenWithinMillis(reopenWithin.toMillis())
                .build();
    }
}
