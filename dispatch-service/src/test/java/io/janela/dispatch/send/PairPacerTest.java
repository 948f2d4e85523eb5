package io.janela.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PairPacerTest {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    private final PairPacer pacer = new PairPacer(Duration.ofSeconds(6), 45, Duration.ofSeconds(6));

    @Test
    void letsAQuietContactBurstThenMakesItWaitUntilTheBorrowedQuotaIsPaid() {
        PairPacer.Pace pace = PairPacer.Pace.IDLE;
        for (int i = 0; i < 20; i++) {
            assertThat(pacer.earliest(pace, T0)).isEqualTo(T0);
            pace = pacer.sent(pace, T0);
        }
        // Meta: "a burst of 20 messages requires about 2 minutes before you can send more" — once the burst is over.
        Instant afterBurst = T0.plusSeconds(7);
        assertThat(pacer.earliest(pace, afterBurst)).isEqualTo(T0.plus(Duration.ofSeconds(120)));
        // Paid up, the contact may burst again.
        pace = pacer.sent(pace, T0.plusSeconds(120));
        assertThat(pacer.earliest(pace, T0.plusSeconds(121))).isEqualTo(T0.plusSeconds(121));
    }

    @Test
    void endsABurstAtFortyFiveMessages() {
        PairPacer.Pace pace = PairPacer.Pace.IDLE;
        for (int i = 0; i < 45; i++) {
            pace = pacer.sent(pace, T0);
        }
        assertThat(pacer.earliest(pace, T0)).isEqualTo(T0.plusSeconds(45 * 6));
    }

    @Test
    void holdsTheContactForTheWaitAfter131056() {
        PairPacer.Pace pace = pacer.wait(pacer.sent(PairPacer.Pace.IDLE, T0), T0.plusSeconds(16));
        assertThat(pacer.earliest(pace, T0.plusSeconds(1))).isEqualTo(T0.plusSeconds(16));
        assertThat(pacer.earliest(pace, T0.plusSeconds(16))).isEqualTo(T0.plusSeconds(16));
    }

    @Test
    void forgetsAContactThatOwesNothing() {
        PairPacer.Pace pace = pacer.sent(PairPacer.Pace.IDLE, T0);
        assertThat(pacer.idle(pace, T0.plusSeconds(5))).isFalse();
        assertThat(pacer.idle(pace, T0.plusSeconds(6))).isTrue();
    }
}
