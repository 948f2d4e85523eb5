package io.janela.ingress.parse;

import static io.janela.ingress.parse.Parsing.CONTACT_KEY;
import static io.janela.ingress.parse.Parsing.PHONE_NUMBER_ID;
import static io.janela.ingress.parse.Parsing.USER_ID;
import static io.janela.ingress.parse.Parsing.WABA;
import static io.janela.ingress.parse.Parsing.WA_ID;
import static io.janela.ingress.parse.Parsing.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.PreferenceCategory;
import io.janela.avro.PreferenceValue;
import io.janela.avro.UserPreference;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserPreferenceParsingTest {

    @Test
    void readsAMarketingStopKeyedByTheUserId() {
        MappedRecord record = single("user-preferences/stop.json");
        UserPreference preference = (UserPreference) record.value();

        assertThat(record.kind()).isEqualTo(RecordKind.USER_PREFERENCE);
        assertThat(record.key()).isEqualTo(CONTACT_KEY);
        assertThat(record.timestamp()).isEqualTo(Instant.ofEpochSecond(1731705721));
        assertThat(preference.getPhoneNumberId()).isEqualTo(PHONE_NUMBER_ID);
        assertThat(preference.getWabaId()).isEqualTo(WABA);
        assertThat(preference.getUserId()).isEqualTo(USER_ID);
        assertThat(preference.getWaId()).isEqualTo(WA_ID);
        assertThat(preference.getCategory()).isEqualTo(PreferenceCategory.MARKETING_MESSAGES);
        assertThat(preference.getValue()).isEqualTo(PreferenceValue.STOP);
        assertThat(preference.getDetail()).isEqualTo("User requested to stop marketing messages");
    }

    @Test
    void takesTheUserIdOfAResumeWithoutOneFromTheContact() {
        MappedRecord record = single("user-preferences/resume.json");
        UserPreference preference = (UserPreference) record.value();

        assertThat(preference.getValue()).isEqualTo(PreferenceValue.RESUME);
        assertThat(preference.getUserId()).isEqualTo(USER_ID);
        assertThat(record.key()).isEqualTo(CONTACT_KEY);
    }

    @Test
    void publishesAStopThatNamesOnlyTheWaIdKeyedByIt() {
        MappedRecord record = single("user-preferences/stop-wa-id-only.json");
        UserPreference preference = (UserPreference) record.value();

        assertThat(record.key()).isEqualTo(PHONE_NUMBER_ID + ":" + WA_ID);
        assertThat(preference.getContactId()).isEqualTo(WA_ID);
        assertThat(preference.getWaId()).isEqualTo(WA_ID);
        assertThat(preference.getUserId()).isNull();
        assertThat(preference.getValue()).isEqualTo(PreferenceValue.STOP);
    }
}
