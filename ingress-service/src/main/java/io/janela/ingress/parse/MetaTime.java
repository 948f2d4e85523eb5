package io.janela.ingress.parse;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * Meta's timestamps: Unix seconds, sent as strings ({@code messages[].timestamp}, {@code statuses[].timestamp},
 * {@code expiration_timestamp}) or as integers ({@code entry[].time}, {@code user_preferences[].timestamp},
 * {@code category_update_timestamp}). Both are accepted everywhere, since Meta's types are not consistent across
 * fields and versions.
 */
final class MetaTime {

    /** Unix seconds beyond this (year 5138) are not a plausible Meta timestamp; they also could not become millis. */
    private static final long MAX_SECONDS = 100_000_000_000L;

    private MetaTime() {}

    /** The field as an instant; an {@link InvalidItemException} when it is absent or not Unix seconds. */
    static Instant required(JsonNode parent, String field) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidItemException("no " + field);
        }
        Instant instant = parse(node);
        if (instant == null) {
            throw new InvalidItemException(field + " is not Unix seconds");
        }
        return instant;
    }

    /** The field as an instant, or null when absent or not Unix seconds. */
    static Instant optional(JsonNode parent, String field) {
        JsonNode node = parent == null ? null : parent.get(field);
        return node == null || node.isNull() ? null : parse(node);
    }

    /** Unix seconds from an integer, a whole floating-point number, or a string of digits; null otherwise. */
    static Instant parse(JsonNode node) {
        long seconds;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            seconds = node.longValue();
        } else if (node.isFloatingPointNumber() && node.canConvertToExactIntegral() && node.canConvertToLong()) {
            seconds = node.longValue();
        } else if (node.isString()) {
            String text = node.asString().strip();
            if (text.isEmpty() || text.length() > 12 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            seconds = Long.parseLong(text);
        } else {
            return null;
        }
        if (seconds < 0 || seconds > MAX_SECONDS) {
            return null;
        }
        return Instant.ofEpochSecond(seconds);
    }
}
