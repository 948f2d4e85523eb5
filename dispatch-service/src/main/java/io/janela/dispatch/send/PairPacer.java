package io.janela.dispatch.send;

import java.time.Duration;
import java.time.Instant;

/**
 * Meta's pair rate limit between one business number and one user (WHATSAPP.md §6.2): one message per 6 seconds; a
 * burst of up to 45 messages is allowed but borrows future quota ("a burst of 20 requires about 2 minutes before you
 * can send more"). Modelled as a debt: each message adds one interval to the contact's {@code paidUntil}; a burst may
 * start only when the contact owes nothing, and runs for at most {@code burst} messages within {@code burstWindow};
 * then the next message waits until the debt is paid. After 131056, Meta says to wait 4^x seconds: that wait is set
 * as the debt.
 */
final class PairPacer {

    /** One contact's pacing state. */
    record Pace(Instant paidUntil, Instant burstStart, int burstCount) {

        static final Pace IDLE = new Pace(Instant.MIN, Instant.MIN, 0);
    }

    private final Duration interval;
    private final int burst;
    private final Duration burstWindow;

    PairPacer(Duration interval, int burst, Duration burstWindow) {
        this.interval = interval;
        this.burst = burst;
        this.burstWindow = burstWindow;
    }

    /** When the contact may get its next message. */
    Instant earliest(Pace pace, Instant now) {
        if (!pace.paidUntil().isAfter(now)) {
            return now;
        }
        boolean inBurst =
                pace.burstCount() < burst && now.isBefore(pace.burstStart().plus(burstWindow));
        return inBurst ? now : pace.paidUntil();
    }

    /** The state after a message to the contact at {@code at}. */
    Pace sent(Pace pace, Instant at) {
        boolean newBurst = !pace.paidUntil().isAfter(at);
        Instant paidFrom = newBurst ? at : pace.paidUntil();
        return new Pace(
                paidFrom.plus(interval), newBurst ? at : pace.burstStart(), newBurst ? 1 : pace.burstCount() + 1);
    }

    /** The state after Meta answered 131056: nothing more until {@code until}, then a fresh start. */
    Pace wait(Pace pace, Instant until) {
        return new Pace(until, Instant.MIN, burst);
    }

    /** Whether the contact owes nothing at {@code now}, so its state can be forgotten. */
    boolean idle(Pace pace, Instant now) {
        return !pace.paidUntil().isAfter(now);
    }
}
