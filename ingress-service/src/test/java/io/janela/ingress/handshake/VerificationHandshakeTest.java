package io.janela.ingress.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VerificationHandshakeTest {

    private final VerificationHandshake handshake = new VerificationHandshake("meatyhamhock");

    @Test
    void answersASubscriptionWithTheRightTokenWithTheChallengeAsSent() {
        assertThat(handshake.answer("subscribe", "meatyhamhock", "1158201444")).contains("1158201444");
    }

    @Test
    void refusesAWrongToken() {
        assertThat(handshake.answer("subscribe", "meatyhamhocks", "1158201444")).isEmpty();
        assertThat(handshake.answer("subscribe", "meatyhamhoc", "1158201444")).isEmpty();
        assertThat(handshake.answer("subscribe", "MEATYHAMHOCK", "1158201444")).isEmpty();
        assertThat(handshake.answer("subscribe", "", "1158201444")).isEmpty();
        assertThat(handshake.answer("subscribe", null, "1158201444")).isEmpty();
    }

    @Test
    void refusesAnotherModeOrNone() {
        assertThat(handshake.answer("unsubscribe", "meatyhamhock", "1158201444"))
                .isEmpty();
        assertThat(handshake.answer(null, "meatyhamhock", "1158201444")).isEmpty();
    }

    @Test
    void refusesARequestWithoutAChallenge() {
        assertThat(handshake.answer("subscribe", "meatyhamhock", null)).isEmpty();
        assertThat(handshake.answer("subscribe", "meatyhamhock", "")).isEmpty();
    }

    @Test
    void needsAToken() {
        assertThatThrownBy(() -> new VerificationHandshake(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
