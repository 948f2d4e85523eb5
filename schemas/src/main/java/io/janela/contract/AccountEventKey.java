package io.janela.contract;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;

/**
 * The key of whatsapp.account-events, a compacted topic. Compaction keeps the last record written per key, not the
 * newest by Meta's time, and Meta redelivers webhooks late and out of order; so a fact whose older statement must never
 * come back (the account's restrictions, the messaging limit, a number's throughput) gets one key per statement, with
 * Meta's time in it, and its readers follow the newest across the fact's keys ({@link #factPrefix}). The others keep
 * one key per fact, the last written kept:
 *
 * <ul>
 *   <li>{@code {wabaId}:RESTRICTION:{Meta's time in epoch millis}} and {@code {wabaId}:MESSAGING_LIMIT:{Meta's time in
 *       epoch millis}}: the account's restrictions and the portfolio's messaging limit, one key per statement (a lifted
 *       restriction written before a late redelivery of the restriction stays in the topic, and stays the newest).
 *       Earlier versions wrote one key per account ({@code {wabaId}:RESTRICTION}, {@code {wabaId}:MESSAGING_LIMIT});
 *       such a record stays in the topic, and readers take it as one more statement of the fact;
 *   <li>{@code {wabaId}:ACCOUNT_UPDATE:{event}}: each other account_update event (DISABLED_UPDATE,
 *       VOLUME_BASED_PRICING_TIER_UPDATE, …) apart, so that one does not erase another;
 *   <li>{@code {wabaId}:PHONE_NUMBER_QUALITY:{number}}: per business number, named by its display phone number (as
 *       phone_number_quality_update does) or else its phone number id;
 *   <li>{@code {wabaId}:THROUGHPUT:{number}:{Meta's time in epoch millis}}: one per report. Compaction keeps the last
 *       record written per key, not the newest by Meta's time, so one key per number would let a late redelivery of an
 *       older report replace a newer one for every reader that starts after compaction (the sender would pace at a
 *       level Meta no longer allows); with Meta's time in the key, the newest report is never compacted away, a
 *       redelivery of the same report still compacts, and readers pick the newest by time. Reports are rare (a
 *       number's upgrades), so the topic grows by a few records per number;
 *   <li>{@code {phoneNumberId}:USER_ID_CHANGE:{previousUserId}}: one per changed business-scoped user id;
 *   <li>{@code {wabaId}:UNKNOWN:{field}}: what Meta adds tomorrow, per webhook field.
 * </ul>
 *
 * A part Meta did not send is written {@code -}.
 */
public final class AccountEventKey {

    private static final String MISSING = "-";

    private AccountEventKey() {}

    public static String of(AccountEvent event) {
        AccountEventKind kind = event.getKind();
        return switch (kind) {
            case RESTRICTION, MESSAGING_LIMIT -> join(event.getWabaId(), kind.name(), timeOf(event));
            case ACCOUNT_UPDATE -> join(event.getWabaId(), kind.name(), event.getEvent());
            case PHONE_NUMBER_QUALITY -> join(event.getWabaId(), kind.name(), numberOf(event));
            case THROUGHPUT -> join(event.getWabaId(), kind.name(), numberOf(event), timeOf(event));
            case USER_ID_CHANGE -> join(event.getPhoneNumberId(), kind.name(), event.getPreviousUserId());
            case UNKNOWN -> join(event.getWabaId(), kind.name(), event.getField());
        };
    }

    /**
     * What every key of an account's RESTRICTION or MESSAGING_LIMIT statements starts with: {@code {wabaId}:{kind}}. A
     * key of the fact is this prefix alone (written before Meta's time was in the key) or the prefix, {@code :} and
     * Meta's time ({@link #ofFact}).
     */
    public static String factPrefix(String wabaId, AccountEventKind kind) {
        return join(wabaId, kind.name());
    }

    /** Whether {@code key} is a key of the fact {@code prefix} ({@link #factPrefix}) names. */
    public static boolean ofFact(String key, String prefix) {
        return key.startsWith(prefix) && (key.length() == prefix.length() || key.charAt(prefix.length()) == ':');
    }

    private static String timeOf(AccountEvent event) {
        return event.getTimestamp() == null
                ? null
                : Long.toString(event.getTimestamp().toEpochMilli());
    }

    private static String numberOf(AccountEvent event) {
        return event.getDisplayPhoneNumber() != null ? event.getDisplayPhoneNumber() : event.getPhoneNumberId();
    }

    private static String join(String... parts) {
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            if (!key.isEmpty()) {
                key.append(':');
            }
            key.append(part == null || part.isBlank() ? MISSING : part);
        }
        return key.toString();
    }
}
