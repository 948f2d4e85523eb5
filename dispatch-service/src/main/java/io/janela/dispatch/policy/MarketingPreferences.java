package io.janela.dispatch.policy;

import io.janela.avro.PreferenceCategory;
import io.janela.avro.PreferenceValue;
import io.janela.avro.UserPreference;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;

/**
 * Whether a contact stopped marketing messages, from the {@code user_preferences} items stored under any of its names
 * ({@link ContactIdentities}): the newest marketing item by Meta's time decides, so a resume sent under the user id
 * lifts a stop sent under the {@code wa_id}, and the other way round.
 */
public final class MarketingPreferences {

    private MarketingPreferences() {}

    public static boolean optedOut(Collection<UserPreference> preferences) {
        return preferences.stream()
                .filter(Objects::nonNull)
                .filter(preference -> preference.getCategory() == PreferenceCategory.MARKETING_MESSAGES)
                .filter(preference -> preference.getValue() != PreferenceValue.UNKNOWN)
                .max(Comparator.comparing(UserPreference::getTimestamp))
                .map(latest -> latest.getValue() == PreferenceValue.STOP)
                .orElse(false);
    }
}
