package io.janela.contract;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;

/**
 * The key of whatsapp.account-events, a compacted topic: one key per fact that a newer event of the same fact
 * replaces, so that compaction keeps the latest of each per account or number:
 *
 * <ul>
 *   <li>{@code {wabaId}:RESTRICTION} and {@code {wabaId}:MESSAGING_LIMIT}: the account's restrictions and the
 *       portfolio's messaging limit;
 *   <li>{@code {wabaId}:ACCOUNT_UPDATE:{event}}: each other account_update event (DISABLED_UPDATE,
 *       VOLUME_BASED_PRICING_TIER_UPDATE, …) apart, so that one does not erase another;
 *   <li>{@code {wabaId}:PHONE_NUMBER_QUALITY:{number}} and {@code {wabaId}:THROUGHPUT:{number}}: per business number,
 *       named by its display phone number (as phone_number_quality_update does) or else its phone number id;
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
            case RESTRICTION, MESSAGING_LIMIT -> join(event.getWabaId(), kind.name());
            case ACCOUNT_UPDATE -> join(event.getWabaId(), kind.name(), event.getEvent());
            case PHONE_NUMBER_QUALITY, THROUGHPUT ->
                join(
                        event.getWabaId(),
                        kind.name(),
                        event.getDisplayPhoneNumber() != null
                                ? event.getDisplayPhoneNumber()
                                : event.getPhoneNumberId());
            case USER_ID_CHANGE -> join(event.getPhoneNumberId(), kind.name(), event.getPreviousUserId());
            case UNKNOWN -> join(event.getWabaId(), kind.name(), event.getField());
        };
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
