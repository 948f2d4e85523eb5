package io.janela.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ContactKeyTest {

    @Test
    void formatsAsPhoneNumberIdColonContactId() {
        assertThat(new ContactKey("106540352242922", "US.13491208655302741918").format())
                .isEqualTo("106540352242922:US.13491208655302741918");
    }

    @Test
    void parsesWhatItFormats() {
        ContactKey key = new ContactKey("106540352242922", "16505551234");

        assertThat(ContactKey.parse(key.format())).isEqualTo(key);
        assertThat(key).hasToString("106540352242922:16505551234");
    }

    @Test
    void splitsAtTheFirstColonSinceAPhoneNumberIdHasNone() {
        assertThat(ContactKey.parse("1:a:b")).isEqualTo(new ContactKey("1", "a:b"));
    }

    @Test
    void saysWhatIsWrongWithAMalformedKey() {
        assertThatThrownBy(() -> ContactKey.parse("106540352242922"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{phoneNumberId}:{contactId}");
        assertThatThrownBy(() -> ContactKey.parse(":US.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("phone number id");
        assertThatThrownBy(() -> ContactKey.parse("1:"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("contact id");
        assertThatThrownBy(() -> new ContactKey("1", " US.1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spaces");
    }

    @Test
    void errorsNeverEchoWhatTheKeyHolds() {
        String phone = "16505551234";

        for (Runnable malformed : new Runnable[] {
            () -> ContactKey.parse(phone),
            () -> ContactKey.parse(phone + ":"),
            () -> ContactKey.parse(":" + phone),
            () -> ContactKey.parse("1: " + phone),
            () -> new ContactKey(" " + phone, "US.1"),
            () -> new ContactKey("1", phone + " ")
        }) {
            assertThatThrownBy(malformed::run)
                    .isInstanceOf(IllegalArgumentException.class)
                    .message()
                    .doesNotContain(phone)
                    .doesNotContain("5551234");
        }
    }
}
