package io.janela.ingress.parse;

import tools.jackson.databind.JsonNode;

/**
 * What the items of one {@code entry[].changes[]} share: the business account ({@code entry[].id}), the entry's time,
 * the business phone number ({@code value.metadata}) and the contacts.
 */
record ChangeContext(
        String wabaId,
        JsonNode entry,
        JsonNode value,
        String phoneNumberId,
        String displayPhoneNumber,
        Contacts contacts) {

    static ChangeContext of(String wabaId, JsonNode entry, JsonNode value) {
        JsonNode metadata = JsonFields.object(value, "metadata");
        return new ChangeContext(
                wabaId,
                entry,
                value,
                JsonFields.id(metadata, "phone_number_id"),
                JsonFields.text(metadata, "display_phone_number"),
                Contacts.of(value));
    }

    /** The business phone number id, which every per-contact record is keyed by. */
    String requirePhoneNumberId() {
        if (phoneNumberId == null) {
            throw new InvalidItemException("no value.metadata.phone_number_id");
        }
        return phoneNumberId;
    }
}
