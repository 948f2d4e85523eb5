package io.janela.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.ContactAlias;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Where a phone-keyed record goes after the alias lookup, shared by the window, survey and metrics services. */
class ContactStreamsTest {

    private static final String PHONE_KEY = "1555000001:15551234567";

    @Test
    void anAliasMovesTheRecordToTheContactItNames() {
        assertThat(ContactStreams.contactKeyOf(PHONE_KEY, alias("US.13491208655302741918")))
                .isEqualTo("1555000001:US.13491208655302741918");
    }

    @Test
    void withoutAnAliasTheRecordKeepsItsPhoneKey() {
        assertThat(ContactStreams.contactKeyOf(PHONE_KEY, null)).isEqualTo(PHONE_KEY);
    }

    @Test
    void anAliasNamingNoContactLeavesTheRecordOnItsPhoneKey() {
        assertThat(ContactStreams.contactKeyOf(PHONE_KEY, alias(""))).isEqualTo(PHONE_KEY);
        assertThat(ContactStreams.contactKeyOf(PHONE_KEY, alias("  "))).isEqualTo(PHONE_KEY);
    }

    private static ContactAlias alias(String contactId) {
        return ContactAlias.newBuilder()
                .setPhoneNumberId("1555000001")
                .setWaId("15551234567")
                .setContactId(contactId)
                .setSeenAt(Instant.parse("2026-12-07T10:00:00Z"))
                .build();
    }
}
