package io.janela.metrics.summary;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * A validated {@code GET /metrics/summary} request: a business phone number id (Meta's, digits and letters only) and
 * a range [from, to) of ISO-8601 instants. {@code to} defaults to now, {@code from} to {@code to} minus the default
 * range; the range must be positive and no longer than the store keeps.
 */
record SummaryRequest(String phoneNumberId, Instant from, Instant to) {

    private static final Pattern PHONE_NUMBER_ID = Pattern.compile("[A-Za-z0-9]{1,64}");

    static SummaryRequest parse(
            String phoneNumberId, String from, String to, Instant now, Duration defaultRange, Duration maxRange) {
        if (phoneNumberId == null || phoneNumberId.isBlank()) {
            throw new InvalidSummaryRequestException("phoneNumberId is required");
        }
        if (!PHONE_NUMBER_ID.matcher(phoneNumberId).matches()) {
            throw new InvalidSummaryRequestException(
                    "phoneNumberId must be Meta's phone number id (letters and digits)");
        }
        Instant end = to == null || to.isBlank() ? now : instant("to", to);
        Instant start = from == null || from.isBlank() ? end.minus(defaultRange) : instant("from", from);
        if (!start.isBefore(end)) {
            throw new InvalidSummaryRequestException("from must be before to");
        }
        if (Duration.between(start, end).compareTo(maxRange) > 0) {
            throw new InvalidSummaryRequestException(
                    "the range is longer than the " + maxRange + " the summary store keeps");
        }
        return new SummaryRequest(phoneNumberId, start, end);
    }

    private static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidSummaryRequestException(
                    name + " must be an ISO-8601 instant such as 2026-11-20T10:00:00Z");
        }
    }
}
