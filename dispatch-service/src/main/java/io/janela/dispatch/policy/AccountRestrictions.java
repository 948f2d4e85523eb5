package io.janela.dispatch.policy;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.AccountRestriction;
import io.janela.avro.RestrictionType;
import java.time.Instant;
import java.util.Optional;

/**
 * Which restriction of the business account, as the latest {@code account_update} ACCOUNT_RESTRICTION said
 * (WHATSAPP.md §11.3), forbids a message now:
 *
 * <ul>
 *   <li>RESTRICTED_BIZ_INITIATED_MESSAGING: messages the business initiates, that is every template that goes outside
 *       an open customer service window (the fallback template of a free-form message included);
 *   <li>RESTRICTED_CUSTOMER_INITIATED_MESSAGING: replies inside an open window (free-form, and templates sent in it);
 *   <li>RESTRICTED_ADD_PHONE_NUMBER_ACTION and types Janela does not know: nothing that dispatch sends (Meta still
 *       refuses what it refuses; its error says so).
 * </ul>
 *
 * A restriction is in force until its {@code expiration}; one without an expiry until Meta lifts it (an
 * ACCOUNT_RESTRICTION event with no restriction).
 */
final class AccountRestrictions {

    private AccountRestrictions() {}

    /** The restriction that forbids the message, if any. */
    public static Optional<AccountRestriction> forbidding(
            AccountEvent restrictions, boolean businessInitiated, Instant now) {
        if (restrictions == null || restrictions.getKind() != AccountEventKind.RESTRICTION) {
            return Optional.empty();
        }
        RestrictionType forbidden = businessInitiated
                ? RestrictionType.RESTRICTED_BIZ_INITIATED_MESSAGING
                : RestrictionType.RESTRICTED_CUSTOMER_INITIATED_MESSAGING;
        return restrictions.getRestrictions().stream()
                .filter(restriction -> restriction.getType() == forbidden)
                .filter(restriction -> restriction.getExpiresAt() == null || now.isBefore(restriction.getExpiresAt()))
                .findFirst();
    }
}
