package io.janela.window.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessageType;
import io.janela.contract.ContactKey;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class IdentityRulesTest {

    static final ContactKey KEY = WindowRulesTest.KEY;
    static final Instant T0 = WindowRulesTest.T0;
    static final String USER = KEY.contactId();

    final WindowRules rules = new WindowRules(WindowPolicy.meta());

    static CustomerMessage text(String id, Instant at, String waId) {
        return new CustomerMessage(id, at, InboundMessageType.TEXT, false, false, USER, waId);
    }

    @Test
    void thePhoneNumberOfAContactIdentifiedByUserIdIsPublishedAsAnAlias() {
        Transition t = rules.onCustomerMessage(null, KEY, text("wamid.1", T0, "16505551234"), T0);

        assertThat(t.alias()).isEqualTo(new AliasPublication(KEY.phoneNumberId(), "16505551234", USER, T0));
        assertThat(t.after().identity().waId()).isEqualTo("16505551234");
        assertThat(t.after().identity().userId()).isEqualTo(USER);
    }

    @Test
    void theSameNumberIsPublishedAgainOnlyAfterTheRefreshInterval() {
        ContactState known = rules.onCustomerMessage(null, KEY, text("wamid.1", T0, "16505551234"), T0)
                .after();
        Instant soon = T0.plus(Duration.ofHours(2));
        Instant dayLater = T0.plus(Duration.ofHours(24));

        Transition same = rules.onCustomerMessage(known, KEY, text("wamid.2", soon, "16505551234"), soon);
        Transition refreshed =
                rules.onCustomerMessage(same.after(), KEY, text("wamid.3", dayLater, "16505551234"), dayLater);

        assertThat(same.alias()).isNull();
        assertThat(refreshed.alias())
                .isEqualTo(new AliasPublication(KEY.phoneNumberId(), "16505551234", USER, dayLater));
    }

    @Test
    void aNumberChangeFromASystemMessagePublishesTheNewNumberWithoutTouchingTheWindow() {
        ContactState known = rules.onCustomerMessage(null, KEY, text("wamid.1", T0, "16505551234"), T0)
                .after();
        Instant changedAt = T0.plusSeconds(600);
        CustomerMessage changed =
                new CustomerMessage("wamid.s", changedAt, InboundMessageType.SYSTEM, false, false, USER, "16505550000");

        Transition t = rules.onCustomerMessage(known, KEY, changed, changedAt);

        assertThat(t.ignored()).isEqualTo(IgnoreReason.NOT_QUALIFYING);
        assertThat(t.alias()).isEqualTo(new AliasPublication(KEY.phoneNumberId(), "16505550000", USER, changedAt));
        assertThat(t.after().window()).isEqualTo(known.window());
    }

    @Test
    void anOlderSightingOfAnotherNumberDoesNotReplaceTheLatest() {
        ContactState known = rules.onCustomerMessage(null, KEY, text("wamid.2", T0, "16505550000"), T0)
                .after();

        Transition t = rules.onIdentity(known, new IdentitySighting(USER, "16505551234", T0.minusSeconds(60)));

        assertThat(t.alias()).isNull();
        assertThat(t.after().identity().waId()).isEqualTo("16505550000");
    }

    @Test
    void aContactKeyedByItsPhoneNumberNeedsNoAlias() {
        ContactKey byPhone = new ContactKey(KEY.phoneNumberId(), "16505551234");
        CustomerMessage message =
                new CustomerMessage("wamid.1", T0, InboundMessageType.TEXT, false, false, null, "16505551234");

        Transition t = rules.onCustomerMessage(null, byPhone, message, T0);

        assertThat(t.alias()).isNull();
        assertThat(t.after().isOpen()).isTrue();
    }
}
