package io.janela.window.rules;

import io.janela.avro.InboundMessageType;
import io.janela.contract.QualifyingMessageTypes;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The numbers the window rules follow. Which message types open or refresh the window is not among them: that is
 * Meta's rule, one set in the contract ({@link QualifyingMessageTypes}) for every service, never overridden.
 *
 * @param windowLength how long a customer message keeps the customer service window open (Meta: 24 h)
 * @param closingSoonLeads how long before expiry a CLOSING_SOON event fires, one per lead time, longest first
 * @param fepEligibility how long after a click-to-WhatsApp message a business reply opens a free entry point window
 *     (Meta: 24 h)
 * @param fepLength the predicted length of a free entry point window from the reply (Meta: 72 h)
 * @param recentMessages how many recent message ids per contact and kind are kept to recognise duplicates
 * @param aliasRefresh how much later a sighting of the same phone number must be to publish its alias again
 */
public record WindowPolicy(
        Duration windowLength,
        List<Duration> closingSoonLeads,
        Duration fepEligibility,
        Duration fepLength,
        int recentMessages,
        Duration aliasRefresh) {

    public WindowPolicy {
        requirePositive("window length", windowLength);
        requirePositive("FEP eligibility", fepEligibility);
        requirePositive("FEP length", fepLength);
        requirePositive("alias refresh", aliasRefresh);
        Objects.requireNonNull(closingSoonLeads, "closingSoonLeads");
        for (Duration lead : closingSoonLeads) {
            requirePositive("closing-soon lead time", lead);
            if (lead.compareTo(windowLength) >= 0) {
                throw new IllegalArgumentException(
                        "a closing-soon lead time must be shorter than the window (" + windowLength + "): " + lead);
            }
        }
        closingSoonLeads = closingSoonLeads.stream()
                .distinct()
                .sorted(Comparator.reverseOrder())
                .toList();
        if (recentMessages < 1) {
            throw new IllegalArgumentException("recent messages per contact must be at least 1: " + recentMessages);
        }
    }

    /** Meta's rules: 24 h window, one closing-soon event 1 h before, 24 h FEP eligibility, 72 h FEP window. */
    public static WindowPolicy meta() {
        return new WindowPolicy(
                Duration.ofHours(24),
                List.of(Duration.ofHours(1)),
                Duration.ofHours(24),
                Duration.ofHours(72),
                32,
                Duration.ofHours(24));
    }

    /** Whether a customer message of this type opens or refreshes the window ({@link QualifyingMessageTypes}). */
    public boolean qualifies(InboundMessageType type) {
        return QualifyingMessageTypes.qualifies(type);
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive: " + value);
        }
    }
}
