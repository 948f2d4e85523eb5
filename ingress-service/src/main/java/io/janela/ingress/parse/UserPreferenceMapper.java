package io.janela.ingress.parse;

import io.janela.avro.PreferenceCategory;
import io.janela.avro.PreferenceValue;
import io.janela.avro.UserPreference;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A {@code user_preferences[]} item (the user stopped or resumed marketing messages) → {@link UserPreference}, keyed
 * by contact: {@code user_id} when present (or that of the change's contact with this {@code wa_id}), else {@code
 * wa_id}. Its timestamp is an integer of Unix seconds.
 */
final class UserPreferenceMapper {

    static final String FIELD = "user_preferences";

    private final RawJson rawJson;

    UserPreferenceMapper(RawJson rawJson) {
        this.rawJson = rawJson;
    }

    MappedRecord map(JsonNode preference, ChangeContext change, String path, ParseNotes notes) {
        Instant timestamp = MetaTime.required(preference, "timestamp");
        String phoneNumberId = change.requirePhoneNumberId();
        Contacts.Identity identity =
                change.contacts().identify(JsonFields.id(preference, "user_id"), JsonFields.id(preference, "wa_id"));
        String contactId = identity.contactId();
        if (contactId == null) {
            throw new InvalidItemException("no user_id or wa_id: no identity");
        }
        UserPreference value = UserPreference.newBuilder()
                .setPhoneNumberId(phoneNumberId)
                .setWabaId(change.wabaId())
                .setContactId(contactId)
                .setUserId(identity.userId())
                .setWaId(identity.waId())
                .setCategory(MetaSymbols.symbol(
                        PreferenceCategory.class,
                        JsonFields.text(preference, "category"),
                        PreferenceCategory.UNKNOWN,
                        "preference_category",
                        notes))
                .setValue(MetaSymbols.symbol(
                        PreferenceValue.class,
                        JsonFields.text(preference, "value"),
                        PreferenceValue.UNKNOWN,
                        "preference_value",
                        notes))
                .setDetail(JsonFields.text(preference, "detail"))
                .setTimestamp(timestamp)
                .setRawJson(rawJson.of(preference))
                .build();
        return new MappedRecord(
                RecordKind.USER_PREFERENCE, SharedObjects.contactKey(phoneNumberId, contactId), value, timestamp, path);
    }
}
