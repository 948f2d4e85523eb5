package io.janela.ingress.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Meta's messaging limits (WHATSAPP.md §6.3): named as tiers ({@code TIER_250}, {@code TIER_2K}, {@code TIER_10K},
 * {@code TIER_100K}, {@code TIER_UNLIMITED}, {@code TIER_NOT_SET}) in {@code max_daily_conversations_per_business},
 * {@code current_limit} and {@code old_limit}, and as numbers ({@code 2000}; {@code -1} for unlimited) in the older
 * {@code max_daily_conversation_per_phone} and in some samples of the newer field.
 */
final class MessagingLimits {

    static final String UNLIMITED = "TIER_UNLIMITED";

    private static final Pattern TIER = Pattern.compile("TIER_(\\d{1,9})(K|M)?");

    private MessagingLimits() {}

    /** The tier as Meta names it: a name upper-cased, a number turned into its name; null when absent. */
    static String tier(JsonNode node) {
        if (node == null || node.isNull() || node.isContainer()) {
            return null;
        }
        String text = node.asString().strip();
        if (text.isEmpty()) {
            return null;
        }
        if (text.matches("-?\\d{1,12}")) {
            long number = Long.parseLong(text);
            if (number < 0) {
                return UNLIMITED;
            }
            if (number >= 1_000 && number % 1_000 == 0) {
                return "TIER_" + (number / 1_000) + "K";
            }
            return "TIER_" + number;
        }
        return MetaSymbols.normalise(text);
    }

    /**
     * The number of unique users a tier allows in a moving 24 h; null when unlimited, not set or absent. A name that is
     * not a tier is noted as unrecognised ({@code messaging_limit}) and read as null.
     */
    static Long limit(String tier, ParseNotes notes) {
        if (tier == null || UNLIMITED.equals(tier) || "TIER_NOT_SET".equals(tier)) {
            return null;
        }
        Matcher matcher = TIER.matcher(tier);
        if (!matcher.matches()) {
            notes.unrecognised("messaging_limit");
            return null;
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2);
        if ("K".equals(unit)) {
            return number * 1_000;
        }
        if ("M".equals(unit)) {
            return number * 1_000_000;
        }
        return number;
    }
}
