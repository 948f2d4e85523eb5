package io.janela.dispatch.policy;

import io.janela.avro.ContactWindow;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.contract.ContactKey;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Every contact key one person may be known by on a business number (DESIGN.md §4, "Identity"): Meta names a user by
 * business-scoped user id, by {@code wa_id}, or both, and ingress keys each webhook by the user id when it has one, else
 * the {@code wa_id}. A rule keyed by contact (opt-out, the per-user marketing limit) looks at all of them: the contact
 * the request was resolved to, the request's own user id and phone number, and the user id and {@code wa_id} the
 * window-service holds for the contact.
 *
 * <p>Limit: a person whose two names were never seen together (no message carrying both, no request naming both) is
 * two contacts; nothing links them.
 */
public final class ContactIdentities {

    private ContactIdentities() {}

    /**
     * @param contactKey the contact key the request was resolved to
     * @param window the contact's window state, or null
     * @return the contact keys, the resolved one first
     */
    public static Set<String> keys(String contactKey, OutboundRequest request, ContactWindow window) {
        String phoneNumberId = ContactKey.parse(contactKey).phoneNumberId();
        Set<String> keys = new LinkedHashSet<>();
        keys.add(contactKey);
        Recipient recipient = request.getRecipient();
        if (recipient != null) {
            add(keys, phoneNumberId, recipient.getUserId());
            String phone = recipient.getPhoneNumber();
            add(keys, phoneNumberId, phone == null || phone.isBlank() ? null : phone.replaceAll("[^0-9]", ""));
        }
        if (window != null) {
            add(keys, phoneNumberId, window.getUserId());
            add(keys, phoneNumberId, window.getWaId());
        }
        return keys;
    }

    private static void add(Set<String> keys, String phoneNumberId, String id) {
        if (id != null && !id.isBlank()) {
            keys.add(new ContactKey(phoneNumberId, id).format());
        }
    }
}
