package io.janela.window.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.InboundMessageType;
import io.janela.contract.ContactKey;
import io.janela.window.rules.BusinessMessage;
import io.janela.window.rules.ContactState;
import io.janela.window.rules.CustomerMessage;
import io.janela.window.rules.WindowPolicy;
import io.janela.window.rules.WindowRules;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WindowViewTest {

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    final WindowRules rules = new WindowRules(WindowPolicy.meta());

    ContactState wroteAt(Instant at, boolean viaAd) {
        return rules.onCustomerMessage(
                        null,
                        new ContactKey("106540352242922", "US.1"),
                        new CustomerMessage("wamid.1", at, InboundMessageType.TEXT, viaAd, false, "US.1", null),
                        at)
                .after();
    }

    @Test
    void anOpenWindowSaysHowLongIsLeft() {
        WindowView view = WindowView.of(wroteAt(T0, false), T0.plus(Duration.ofHours(20)));

        assertThat(view.open()).isTrue();
        assertThat(view.secondsLeft()).isEqualTo(Duration.ofHours(4).toSeconds());
        assertThat(view.closeReason()).isNull();
        assertThat(view.freeEntryPoint().status()).isEqualTo("NONE");
    }

    @Test
    void aWindowPastItsExpiryIsClosedEvenBeforeThePunctuatorGotThere() {
        WindowView view = WindowView.of(wroteAt(T0, false), T0.plus(Duration.ofHours(24)));

        assertThat(view.open()).isFalse();
        assertThat(view.secondsLeft()).isZero();
    }

    @Test
    void theFreeEntryPointGoesFromEligibleToOpenToExpired() {
        ContactState eligible = wroteAt(T0, true);
        ContactState replied = rules.onBusinessMessage(eligible, new BusinessMessage("wamid.r", T0.plusSeconds(60)), T0)
                .after();

        assertThat(WindowView.of(eligible, T0.plusSeconds(30)).freeEntryPoint().status())
                .isEqualTo("ELIGIBLE");
        assertThat(WindowView.of(eligible, T0.plus(Duration.ofHours(25)))
                        .freeEntryPoint()
                        .status())
                .isEqualTo("NONE");
        WindowView.FreeEntryPoint open =
                WindowView.of(replied, T0.plus(Duration.ofHours(1))).freeEntryPoint();
        assertThat(open.status()).isEqualTo("OPEN");
        assertThat(open.confirmed()).isFalse();
        assertThat(open.secondsLeft())
                .isEqualTo(Duration.ofHours(71).plusSeconds(60).toSeconds());
        assertThat(WindowView.of(replied, T0.plus(Duration.ofHours(80)))
                        .freeEntryPoint()
                        .status())
                .isEqualTo("EXPIRED");
    }
}
