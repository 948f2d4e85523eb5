package io.janela.window.rules;

import io.janela.window.rules.ContactState.Identity;
import java.time.Duration;
import java.time.Instant;

/**
 * Who a contact is: the latest phone number (wa_id) seen for it wins, by Meta time, and is published as an alias
 * ({@code {phoneNumberId}:{waId}} → contact) when it is new, or again once the alias refresh has passed, so that
 * the compacted topic says how recently the number was seen without a record per message.
 */
final class IdentityRules {

    private final Duration aliasRefresh;

    IdentityRules(Duration aliasRefresh) {
        this.aliasRefresh = aliasRefresh;
    }

    record Update(ContactState state, AliasPublication alias) {}

    Update sighted(ContactState state, String userId, String waId, Instant at) {
        Identity id = state.identity();
        String user = userId != null ? userId : id.userId();
        String number = id.waId();
        Instant numberSeenAt = id.waIdSeenAt();
        if (waId != null) {
            if (waId.equals(number)) {
                numberSeenAt = Times.max(numberSeenAt, at);
            } else if (numberSeenAt == null || !at.isBefore(numberSeenAt)) {
                number = waId;
                numberSeenAt = at;
            }
        }
        String aliasWaId = id.aliasWaId();
        Instant aliasSeenAt = id.aliasSeenAt();
        AliasPublication alias = null;
        if (number != null && !number.equals(id.contactId())) {
            boolean newNumber = !number.equals(aliasWaId);
            boolean refresh = aliasSeenAt == null || !numberSeenAt.isBefore(aliasSeenAt.plus(aliasRefresh));
            if (newNumber || refresh) {
                alias = new AliasPublication(id.phoneNumberId(), number, id.contactId(), numberSeenAt);
                aliasWaId = number;
                aliasSeenAt = numberSeenAt;
            }
        }
        Identity next = new Identity(
                id.phoneNumberId(), id.contactId(), user, number, numberSeenAt, aliasWaId, aliasSeenAt, id.movedTo());
        return new Update(next.equals(id) ? state : state.withIdentity(next), alias);
    }
}
