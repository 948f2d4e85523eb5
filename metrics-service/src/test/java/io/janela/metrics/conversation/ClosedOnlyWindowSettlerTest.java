package io.janela.metrics.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.janela.avro.CloseReason;
import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.ResponderKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/**
 * A window this service learns of only from its CLOSED event (Conversation#windowClosed: "the OPENED event may not
 * have been seen"). The window-service's CLOSED event carries the window's final expiry in {@code windowExpiresAt}
 * (OutputRecords#event: {@code window.expiresAt()}, pushed by every customer message), not the opening's
 * {@code openedAt + 24 h}.
 */
class ClosedOnlyWindowSettlerTest {

    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(24);
    private static final long DELAY = 30_000;

    private final Conversation conversation = Conversation.empty("106540352242922", "US.1");
    private long clock = 1_000_000;

    @Test
    void theHeadroomOfAWindowKnownOnlyFromItsClosedEventIsTheExpiryKnownAtTheFirstResponse() {
        conversation.addCustomerMessage(new CustomerMessage("c1", minutes(0), arrive()));
        conversation.addBusinessMessage(new BusinessMessage("b1", minutes(60), ResponderKind.AGENT, arrive()));
        conversation.addCustomerMessage(new CustomerMessage("c2", minutes(180), arrive()));
        Instant finalExpiry = minutes(180).plus(WINDOW);
        conversation.windowClosed(
                minutes(0), finalExpiry, new Window.Closing(finalExpiry, CloseReason.EXPIRED, true, null, arrive()));

        clock += DELAY;
        List<SpecificRecord> emitted = ConversationSettler.settle(conversation, clock, Duration.ofMillis(DELAY))
                .measurements();

        FirstResponseMeasurement first = emitted.stream()
                .filter(FirstResponseMeasurement.class::isInstance)
                .map(FirstResponseMeasurement.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(first.getFirstResponseTimeMillis())
                .isEqualTo(Duration.ofMinutes(60).toMillis());
        // At the first response only c1 had written: the window would have expired at c1 + 24 h.
        assertThat(first.getWindowExpiresAt()).isEqualTo(minutes(0).plus(WINDOW));
        assertThat(first.getHeadroomMillis()).isEqualTo(Duration.ofHours(23).toMillis());
    }

    private long arrive() {
        return clock += 10;
    }

    private static Instant minutes(long minutes) {
        return T.plus(Duration.ofMinutes(minutes));
    }
}
