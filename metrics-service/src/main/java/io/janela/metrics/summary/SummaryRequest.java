package io.janela.metrics.summary;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A validated {@code GET /metrics/summary} request: a business phone number id (Meta's, digits and letters only) and
 * a range [from, to) of ISO-8601 instants. {@code to} defaults to now, {@code from} to {@code to} minus the default
 * range; the range must be positive and no longer than the store keeps.
 *
 * <p>Instants must lie in the years 0000 to 9999. ISO-8601 (and {@link Instant#parse}) also takes expanded years such
 * as {@code +300000000-01-01T00:00:00Z}, which no epoch-millisecond long can hold: the store's keys and the rounding
 * to whole buckets are in epoch milliseconds, so such an instant is a bad request, not a server error.
 */
record SummaryRequest(String phoneNumberId, Instant from, Instant to) {

    private static final Pattern PHONE_NUMBER_ID = Pattern.compile("[A-Za-z0-9]{1,64}");
    private static final Pattern PARTITION = Pattern.compile("[0-9]{1,9}");
    static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

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

    /**
     * The {@code partitions} parameter of {@code GET /metrics/summary/partial}: the summary store's partitions the
     * asking instance wants this one's part of, comma-separated ({@code 0,2,4}; empty: none).
     */
    static Set<Integer> partitions(String value) {
        Set<Integer> partitions = new TreeSet<>();
        if (value.isBlank()) {
            return partitions;
        }
        for (String part : value.split(",", -1)) {
            if (!PARTITION.matcher(part.strip()).matches()) {
                throw new InvalidSummaryRequestException(
                        "partitions must be partition numbers separated by commas, such as 0,2,4");
            }
            partitions.add(Integer.parseInt(part.strip()));
        }
        return partitions;
    }

    /**
     * The {@code agentId} parameter: an agent to give the figures of; null or blank: every agent. An id longer than
     * the summary keeps by name ({@link SummaryRows#MAX_NAME_LENGTH}) is a bad request.
     */
    static String agentId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > SummaryRows.MAX_NAME_LENGTH) {
            throw new InvalidSummaryRequestException(
                    "agentId is longer than the " + SummaryRows.MAX_NAME_LENGTH + " characters the summary keeps");
        }
        return value;
    }

    private static Instant instant(String name, String value) {
        Instant parsed;
        try {
            parsed = Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidSummaryRequestException(
                    name + " must be an ISO-8601 instant such as 2026-11-20T10:00:00Z");
        }
        if (parsed.isBefore(EARLIEST) || parsed.isAfter(LATEST)) {
            throw new InvalidSummaryRequestException(
                    name + " must lie between " + EARLIEST + " and " + LATEST + ", in the years 0000 to 9999");
        }
        return parsed;
    }
}
