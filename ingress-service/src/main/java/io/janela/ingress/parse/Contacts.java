package io.janela.ingress.parse;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The {@code value.contacts[]} of a change: who the messages and statuses of that change are from or to. Meta puts
 * identity in two places (the item's {@code from}/{@code from_user_id} or {@code recipient_*}, and the contact), and
 * since 2026 may omit the phone number ({@code wa_id}) of users with a username, so an item's identity is completed
 * from the contact that matches it.
 */
final class Contacts {

    record Contact(String waId, String userId, String parentUserId, String profileName, String username) {}

    /**
     * Who an item is from: its own ids completed from its contact.
     *
     * @param contact the matching contact, or null
     */
    record Identity(String userId, String waId, Contact contact) {

        /** The id in the contact key: the business-scoped user id when known, else the wa_id; null when neither. */
        String contactId() {
            return userId != null ? userId : waId;
        }
    }

    private static final Contacts NONE = new Contacts(List.of());

    private final List<Contact> contacts;

    private Contacts(List<Contact> contacts) {
        this.contacts = contacts;
    }

    static Contacts of(JsonNode value) {
        List<JsonNode> nodes = JsonFields.array(value, "contacts");
        if (nodes == null || nodes.isEmpty()) {
            return NONE;
        }
        List<Contact> contacts = new ArrayList<>(nodes.size());
        for (JsonNode node : nodes) {
            JsonNode profile = JsonFields.object(node, "profile");
            contacts.add(new Contact(
                    JsonFields.id(node, "wa_id"),
                    JsonFields.id(node, "user_id"),
                    JsonFields.id(node, "parent_user_id"),
                    JsonFields.text(profile, "name"),
                    JsonFields.text(profile, "username")));
        }
        return new Contacts(List.copyOf(contacts));
    }

    /** The identity of an item that names a user id and/or a wa_id, each completed from the matching contact. */
    Identity identify(String userId, String waId) {
        Contact contact = match(userId, waId);
        if (contact == null) {
            return new Identity(userId, waId, null);
        }
        return new Identity(userId != null ? userId : contact.userId(), waId != null ? waId : contact.waId(), contact);
    }

    /**
     * The contact of an item that names a user id and/or a wa_id (either may be null): the contact with that user id,
     * else the one with that wa_id, else, when the item names neither and the change has a single contact, that one.
     */
    Contact match(String userId, String waId) {
        if (userId != null) {
            for (Contact contact : contacts) {
                if (userId.equals(contact.userId())) {
                    return contact;
                }
            }
        }
        if (waId != null) {
            for (Contact contact : contacts) {
                if (waId.equals(contact.waId())) {
                    return contact;
                }
            }
        }
        if (userId == null && waId == null && contacts.size() == 1) {
            return contacts.getFirst();
        }
        return null;
    }
}
