package io.janela.dispatch.decision;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.OutboundRequest;
import io.janela.avro.SendCommand;
import io.janela.contract.ContactKey;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.outcome.Results;
import io.janela.dispatch.policy.PortfolioLimit;
import io.janela.dispatch.rules.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;

/**
 * The business portfolio's messaging limit (DESIGN.md §4, "The account's own state"; WHATSAPP.md §6.3), applied to
 * every business-initiated send (a template outside an open window) before it goes to the sender. They arrive keyed by
 * portfolio (one partition holds all of a portfolio's, so one processor counts them, in order); one that would reach a
 * user not counted in the moving 24 h while the portfolio's {@link PortfolioReach} is at its limit is, by {@code
 * janela.dispatch.decision.messaging-limit.when-reached}:
 *
 * <ul>
 *   <li>REFUSE (the default): refused, REJECTED MESSAGING_LIMIT with {@code retryAfter} = when the oldest counted user
 *       leaves the moving 24 h;
 *   <li>HOLD: held ({@link HeldSends}), in arrival order, up to {@code max-held} per portfolio (beyond it: refused as
 *       under REFUSE). Every {@code hold-check-interval} (and at once when a send finds room) the held sends are looked
 *       at again, oldest first: one whose request expired meanwhile ends EXPIRED REQUEST_EXPIRED; one that finds room
 *       (a counted user left the moving 24 h, Meta raised the limit, or its user was reached meanwhile), or that was
 *       held for {@code max-hold-time}, leaves the hold and is decided again by the decision step, as a new request
 *       would be, with the state of then: the contact's window, the template catalog, opt-outs, restrictions and
 *       131049 holds. Refused there, it ends with that refusal; the customer wrote meanwhile: it goes as a reply inside
 *       the window, not counted; still business-initiated: it comes back here and goes when there is room (room is
 *       kept for it meanwhile, {@link PortfolioReach#reserve}), else waits again in its place, or after {@code
 *       max-hold-time} ends REJECTED MESSAGING_LIMIT with {@code retryAfter}. A send to a new user that arrives while
 *       some are held waits behind them. Each held send ends exactly once: it leaves the store in the transaction that
 *       writes its outcome, or the record that takes it to the decision again.
 * </ul>
 *
 * The others go on, keyed by their contact again.
 *
 * <p>The limit is the newest MESSAGING_LIMIT account event of the portfolio's business accounts ({@link
 * PortfolioLimit}); none, unlimited or an unknown tier: nothing is refused or held (Meta's 131064 remains the
 * backstop), but the users reached are still counted, so that a lower limit applies at once when Meta announces one.
 */
final class MessagingLimitProcessor implements Processor<String, SendCommand, String, DecisionOutput> {

    private static final Duration GAUGE_INTERVAL = Duration.ofSeconds(30);

    /**
     * How long room is kept for a held send being decided again. It comes back within about two commit intervals; a
     * send that does not (refused, or sent inside a window; or the decision's task moving) frees it when it lapses.
     */
    static final Duration RESERVATION = Duration.ofMinutes(5);

    private final BusinessNumbers numbers;
    private final DispatchProperties.MessagingLimit settings;
    private final DecisionMetrics metrics;
    private ProcessorContext<String, DecisionOutput> context;
    private TimestampedKeyValueStore<String, AccountEvent> accountEvents;
    private PortfolioReach reach;
    private HeldSends held;

    MessagingLimitProcessor(
            BusinessNumbers numbers, DispatchProperties.MessagingLimit settings, DecisionMetrics metrics) {
        this.numbers = numbers;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, DecisionOutput> context) {
        this.context = context;
        this.accountEvents = context.getStateStore(DecisionTopology.ACCOUNT_EVENTS_STORE);
        KeyValueStore<String, Long> counts = context.getStateStore(DecisionTopology.PORTFOLIO_REACH_STORE);
        this.reach = new PortfolioReach(counts);
        this.held = new HeldSends(context.getStateStore(DecisionTopology.HELD_SENDS_STORE), counts);
        numbers.portfolios().forEach(metrics::portfolio);
        context.schedule(GAUGE_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> report(Instant.ofEpochMilli(now)));
        // Also when holding is off: sends held before it was switched off are decided to the end.
        context.schedule(
                settings.holdCheckInterval(),
                PunctuationType.WALL_CLOCK_TIME,
                now -> decideHeld(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, SendCommand> record) {
        SendCommand command = record.value();
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        String portfolio = record.key();
        Optional<HeldSends.Place> decided = HeldSends.Place.of(record.headers());
        if (decided.isPresent()) {
            decidedAgain(portfolio, decided.get(), command, now);
            metrics.portfolioReach(portfolio, reach.count(portfolio, now));
            metrics.portfolioHeld(portfolio, held.count(portfolio));
            return;
        }
        PortfolioLimit limit = limit(portfolio);
        metrics.portfolioLimit(portfolio, limit);
        // Meta counts people per portfolio, whichever of its numbers wrote to them, and a BSUID is the same on all of
        // them (WHATSAPP.md §1.3, §6.3): the user, not the number's contact key, is what is counted.
        boolean behindHeld =
                settings.holds() && held.count(portfolio) > 0 && !reach.reached(portfolio, command.getContactId(), now);
        if (behindHeld && reach.hasRoom(portfolio, now, limit)) {
            // Sends held before it go first: they take the room there is now.
            decideHeld(portfolio, limit, now);
            behindHeld = held.count(portfolio) > 0;
        }
        if (behindHeld) {
            hold(portfolio, command, sequence(record), now, limit, record.timestamp());
        } else if (reach.admit(portfolio, command.getContactId(), now, limit)
                instanceof PortfolioReach.Admission.Refused refused) {
            if (settings.holds()) {
                hold(portfolio, command, sequence(record), now, limit, record.timestamp());
            } else {
                refuseAtLimit(command, refused.counted(), refused.retryAfter(), limit, now, record.timestamp());
            }
        } else {
            send(command, record.timestamp());
        }
        metrics.portfolioReach(portfolio, reach.count(portfolio, now));
        metrics.portfolioHeld(portfolio, held.count(portfolio));
    }

    /** Holds the send, or refuses it when the portfolio's holds are full. */
    private void hold(
            String portfolio, SendCommand command, long sequence, Instant now, PortfolioLimit limit, long timestamp) {
        if (held.count(portfolio) >= settings.maxHeld()) {
            metrics.hold("full");
            refuseAtLimit(
                    command, reach.count(portfolio, now), reach.roomAt(portfolio, now, limit), limit, now, timestamp);
            return;
        }
        held.hold(portfolio, now, sequence, command);
        metrics.hold("held");
    }

    /** Wall clock: every portfolio's held sends, decided again. */
    private void decideHeld(Instant now) {
        String portfolio = null;
        PortfolioLimit limit = null;
        Room room = null;
        List<String> seen = new ArrayList<>();
        for (HeldSends.Held send : held.all()) {
            if (!send.portfolio().equals(portfolio)) {
                portfolio = send.portfolio();
                limit = limit(portfolio);
                room = new Room(reach.room(portfolio, now, limit));
                seen.add(portfolio);
            }
            decide(send, limit, room, now);
        }
        for (String decided : seen) {
            metrics.portfolioReach(decided, reach.count(decided, now));
            metrics.portfolioHeld(decided, held.count(decided));
        }
    }

    private void decideHeld(String portfolio, PortfolioLimit limit, Instant now) {
        Room room = new Room(reach.room(portfolio, now, limit));
        for (HeldSends.Held send : held.of(portfolio)) {
            decide(send, limit, room, now);
        }
    }

    /**
     * The room for new users in one pass over a portfolio's held sends: counted once at the start of the pass and taken
     * by each send that leaves for a new user, so that releasing k sends costs one scan of the kept room, not k (the
     * scan deletes lapsed reservations, which no send of the pass can make lapse).
     */
    private static final class Room {
        private long left;

        Room(long left) {
            this.left = left;
        }

        boolean any() {
            return left > 0;
        }

        void take() {
            if (left != Long.MAX_VALUE) {
                left--;
            }
        }
    }

    /**
     * One held send, looked at again: its request expired (EXPIRED, here); room for it (or its user was reached
     * meanwhile), or held for {@code max-hold-time}: it leaves the hold to be decided again by the decision step
     * ({@link #redecide}); else it stays held.
     */
    private void decide(HeldSends.Held send, PortfolioLimit limit, Room room, Instant now) {
        SendCommand command = send.command();
        OutboundRequest request = command.getRequest();
        if (request.getExpiresAt() != null && !now.isBefore(request.getExpiresAt())) {
            held.remove(send);
            metrics.hold("expired");
            refuse(
                    command,
                    new Decision.Refuse(
                            DispatchOutcome.EXPIRED,
                            DispatchReason.REQUEST_EXPIRED,
                            "the request expired at " + request.getExpiresAt() + ", held at the business portfolio's"
                                    + " messaging limit since " + send.heldAt(),
                            command.getPrimary().getCategory()),
                    now,
                    now.toEpochMilli());
            return;
        }
        boolean reached = reach.reached(send.portfolio(), command.getContactId(), now);
        if (reached || room.any()) {
            held.remove(send);
            if (!reached) {
                reach.reserve(send.portfolio(), send.place().id(), now.plus(RESERVATION));
                room.take();
            }
            metrics.hold("released");
            redecide(send, now);
        } else if (!now.isBefore(send.heldAt().plus(settings.maxHoldTime()))) {
            held.remove(send);
            metrics.hold("timed_out");
            redecide(send, now);
        }
    }

    /**
     * The held send goes back to the decision step, which decides its request again as a new one with the state of
     * now (window, catalog, opt-outs, restrictions, 131049 holds; {@link DecideProcessor}): a refusal or a send inside
     * a window that opened meanwhile ends it there; a send still business-initiated comes back ({@link
     * #decidedAgain}). Only the decision's subtopology holds the contact's window; this one is keyed by portfolio.
     */
    private void redecide(HeldSends.Held send, Instant now) {
        SendCommand command = send.command();
        context.forward(new Record<>(
                contactKey(command),
                new DecisionOutput.Redecide(command.getRequest()),
                now.toEpochMilli(),
                send.place().headers()));
    }

    /**
     * A held send decided again ({@link #redecide}) is back: the room kept for it is freed; ended by the decision (no
     * command): nothing more; still business-initiated: it goes when there is room, else waits again in its place
     * (within {@code max-hold-time}, when holding), else REJECTED MESSAGING_LIMIT.
     */
    private void decidedAgain(String portfolio, HeldSends.Place place, SendCommand command, Instant now) {
        reach.unreserve(place.portfolio(), place.id());
        if (command == null) {
            return;
        }
        PortfolioLimit limit = limit(portfolio);
        metrics.portfolioLimit(portfolio, limit);
        if (reach.admit(portfolio, command.getContactId(), now, limit)
                instanceof PortfolioReach.Admission.Refused full) {
            if (settings.holds() && now.isBefore(place.heldAt().plus(settings.maxHoldTime()))) {
                // Back in its place (its time and sequence kept), not a new hold: max-held is not checked again (the
                // overshoot is bounded by the sends being decided again), and the hold counter counts it as
                // held_again so that held + held_again equals what left the hold plus what is held now.
                held.hold(portfolio, place.heldAt(), place.sequence(), command);
                metrics.hold("held_again");
                metrics.redecided("held_again", null);
            } else {
                metrics.redecided("timed_out", DispatchReason.MESSAGING_LIMIT);
                refuseAtLimit(command, full.counted(), full.retryAfter(), limit, now, now.toEpochMilli());
            }
            return;
        }
        metrics.redecided("sent", null);
        send(command, now.toEpochMilli());
    }

    private void send(SendCommand command, long timestamp) {
        metrics.decided("send", null);
        context.forward(
                new Record<>(contactKey(command), new DecisionOutput.Command(command), timestamp, new RecordHeaders()));
    }

    private void refuseAtLimit(
            SendCommand command, long counted, Instant retryAfter, PortfolioLimit limit, Instant now, long timestamp) {
        refuse(
                command,
                new Decision.Refuse(
                        DispatchOutcome.REJECTED,
                        DispatchReason.MESSAGING_LIMIT,
                        "the business portfolio reached " + counted + " unique users with business-initiated"
                                + " messages in the moving 24 h, its messaging limit (" + limit.tier() + ")"
                                + (retryAfter == null ? "" : "; room again at " + retryAfter),
                        command.getPrimary().getCategory(),
                        null,
                        retryAfter),
                now,
                timestamp);
    }

    private void refuse(SendCommand command, Decision.Refuse refuse, Instant now, long timestamp) {
        metrics.decided(refuse.outcome().name().toLowerCase(Locale.ROOT), refuse.reason());
        DispatchResult result = Results.refused(
                command.getRequest(),
                command.getContactId(),
                refuse.outcome(),
                refuse.reason(),
                refuse.detail(),
                refuse.category(),
                now);
        result.setRestriction(refuse.restriction());
        result.setRetryAfter(refuse.retryAfter());
        context.forward(
                new Record<>(contactKey(command), new DecisionOutput.Result(result), timestamp, new RecordHeaders()));
    }

    /**
     * Wall clock: the gauges follow the moving 24 h also when no send comes. Every task of this processor shares the
     * instance's gauges, but only the one that owns a portfolio's partition counts it: the others leave its reach alone
     * (were they to report their 0, the gauge would saw-tooth and an alert with {@code for:} would never fire).
     */
    private void report(Instant now) {
        for (String portfolio : numbers.portfolios()) {
            metrics.portfolioLimit(portfolio, limit(portfolio));
            if (reach.holds(portfolio)) {
                metrics.portfolioReach(portfolio, reach.count(portfolio, now));
            }
            if (held.counts(portfolio)) {
                metrics.portfolioHeld(portfolio, held.count(portfolio));
            }
        }
    }

    /**
     * The task is closed or moved: the reach it reported is no longer this instance's to show (the new owner reports
     * it from its own copy of the store); left as it was, {@code max by (portfolio_id)} across instances would keep it.
     */
    @Override
    public void close() {
        try {
            for (String portfolio : numbers.portfolios()) {
                if (reach != null && reach.holds(portfolio)) {
                    metrics.portfolioReach(portfolio, 0);
                }
                if (held != null && held.counts(portfolio)) {
                    metrics.portfolioHeld(portfolio, 0);
                }
            }
        } catch (InvalidStateStoreException closedFirst) {
            // A task closed dirty may have lost its store first; its gauges are then the next owner's to set.
        }
    }

    private PortfolioLimit limit(String portfolio) {
        List<AccountEvent> events = new ArrayList<>();
        for (String wabaId : numbers.wabaIds(portfolio)) {
            events.add(AccountFacts.newest(accountEvents, wabaId, AccountEventKind.MESSAGING_LIMIT));
        }
        return PortfolioLimit.newest(events);
    }

    /** The send's offset on its portfolio's partition: its place among the portfolio's held sends. */
    private long sequence(Record<String, SendCommand> record) {
        return context.recordMetadata().map(RecordMetadata::offset).orElse(record.timestamp());
    }

    private static String contactKey(SendCommand command) {
        return new ContactKey(command.getPhoneNumberId(), command.getContactId()).format();
    }
}
