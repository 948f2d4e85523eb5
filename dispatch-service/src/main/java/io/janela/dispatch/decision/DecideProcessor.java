package io.janela.dispatch.decision;

import io.janela.avro.AccountEvent;
import io.janela.avro.AccountEventKind;
import io.janela.avro.ContactWindow;
import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchReason;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageCategory;
import io.janela.avro.OutboundRequest;
import io.janela.avro.ParkedRequest;
import io.janela.avro.ParkedRequests;
import io.janela.avro.SendCommand;
import io.janela.avro.SendKind;
import io.janela.avro.Template;
import io.janela.avro.TemplatePayload;
import io.janela.avro.UserPreference;
import io.janela.contract.ContactKey;
import io.janela.contract.TemplateKey;
import io.janela.dispatch.business.BusinessNumber;
import io.janela.dispatch.business.BusinessNumbers;
import io.janela.dispatch.config.DispatchProperties;
import io.janela.dispatch.outcome.Results;
import io.janela.dispatch.policy.ContactIdentities;
import io.janela.dispatch.policy.MarketingPreferences;
import io.janela.dispatch.policy.SendPolicy;
import io.janela.dispatch.rules.Decider;
import io.janela.dispatch.rules.Decision;
import io.janela.dispatch.rules.WindowRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Decides each request on its contact's partition (DESIGN.md §4): a request id seen within the dedupe retention is
 * answered DUPLICATE and not sent; an expired one EXPIRED; the rest go to the {@link Decider} with the contact's
 * window, marketing preference and the template catalog.
 *
 * <p>The race of §4: a bot's reply produced milliseconds after a customer's first message can arrive before the
 * window state that message opens. A free-form request that finds no open window therefore waits (parked in a store,
 * by contact) for up to {@code windowGrace}; a wall-clock punctuation sends it as soon as the window state shows the
 * window open, or decides it without one when the grace has run out. Requests for a contact with waiting requests
 * queue behind them, so one contact's requests are decided, and sent, in order. Waiting costs only requests that
 * would otherwise be refused: a request with an open window is decided at once.
 *
 * <p>A send held at the portfolio's messaging limit comes back here when it leaves the hold (its place in the header
 * {@link HeldSends.Place#HEADER}; {@link MessagingLimitProcessor}) and is decided again as a new request would be,
 * with the state of now: a refusal ends it with the same result; a send inside a window the customer opened meanwhile
 * goes at once; a send still business-initiated goes back to the limit with its place. Either way the limit hears of
 * it, to free the room it kept.
 */
final class DecideProcessor implements Processor<String, Arrival, String, DecisionOutput> {

    private static final StringSerializer KEY_PREFIX = new StringSerializer();

    private final Decider decider;
    private final BusinessNumbers numbers;
    private final DispatchProperties.Decision settings;
    private final DecisionMetrics metrics;
    private ProcessorContext<String, DecisionOutput> context;
    private TimestampedKeyValueStore<String, ContactWindow> windows;
    private TimestampedKeyValueStore<String, UserPreference> preferences;
    private TimestampedKeyValueStore<String, AccountEvent> accountEvents;
    private KeyValueStore<String, Long> marketingHolds;
    private TimestampedKeyValueStore<String, Template> templates;
    private WindowStore<String, Long> requestIds;
    private ParkingLot parking;

    DecideProcessor(
            Decider decider, BusinessNumbers numbers, DispatchProperties.Decision settings, DecisionMetrics metrics) {
        this.decider = decider;
        this.numbers = numbers;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, DecisionOutput> context) {
        this.context = context;
        this.windows = context.getStateStore(DecisionTopology.WINDOW_STORE);
        this.preferences = context.getStateStore(DecisionTopology.PREFERENCES_STORE);
        this.accountEvents = context.getStateStore(DecisionTopology.ACCOUNT_EVENTS_STORE);
        this.marketingHolds = context.getStateStore(DecisionTopology.MARKETING_HOLDS_STORE);
        this.templates = context.getStateStore(DecisionTopology.TEMPLATES_STORE);
        this.requestIds = context.getStateStore(DecisionTopology.REQUEST_IDS_STORE);
        KeyValueStore<String, ParkedRequests> parked = context.getStateStore(DecisionTopology.PARKED_BY_CONTACT_STORE);
        this.parking = new ParkingLot(parked, settings.windowGrace());
        context.schedule(
                settings.parkCheckInterval(),
                PunctuationType.WALL_CLOCK_TIME,
                now -> releaseWaiting(Instant.ofEpochMilli(now)));
    }

    @Override
    public void process(Record<String, Arrival> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        OutboundRequest request = record.value().request();
        String contactId = ContactKey.parse(record.key()).contactId();
        Optional<HeldSends.Place> held = HeldSends.Place.of(record.headers());
        if (held.isPresent()) {
            // Held at the messaging limit and now leaving the hold: decided again as a new request would be, with
            // the state of now. It is no duplicate (its id was recorded when it came) and does not wait for a window
            // (it is a template, or a free-form request whose grace ran out before it was held).
            ContactWindow window = record.value().window();
            emit(
                    record.key(),
                    request,
                    contactId,
                    decide(record.key(), request, window, now, null),
                    window,
                    now,
                    now.toEpochMilli(),
                    held.get());
            return;
        }
        if (seen(request.getRequestId(), now)) {
            refuse(
                    record.key(),
                    request,
                    contactId,
                    new Decision.Refuse(
                            DispatchOutcome.DUPLICATE,
                            DispatchReason.DUPLICATE_REQUEST,
                            "request id " + request.getRequestId() + " was received before; it is not sent again",
                            MessageCategory.UNKNOWN),
                    now,
                    record.timestamp());
            return;
        }
        requestIds.put(request.getRequestId(), now.toEpochMilli(), now.toEpochMilli());
        if (parking.hasWaiting(record.key())) {
            parking.park(record.key(), request, now);
            return;
        }
        Decision decision = decide(record.key(), request, record.value().window(), now, now);
        if (decision instanceof Decision.Wait wait) {
            metrics.parked(wait.waitingFor());
            parking.park(record.key(), request, now);
        } else {
            emit(record.key(), request, contactId, decision, record.value().window(), now, record.timestamp(), null);
        }
    }

    /**
     * Wall clock: each contact's waiting requests, in order, are decided with the state the stores hold now; the first
     * one that may still wait for its window stops its contact's queue.
     */
    void releaseWaiting(Instant now) {
        for (KeyValue<String, List<ParkedRequest>> waiting : parking.all()) {
            String key = waiting.key;
            String contactId = ContactKey.parse(key).contactId();
            ContactWindow window = value(windows.get(key));
            List<ParkedRequest> remaining = new ArrayList<>();
            for (ParkedRequest parked : waiting.value) {
                if (!remaining.isEmpty()) {
                    remaining.add(parked);
                    continue;
                }
                Decision decision = decide(key, parked.getRequest(), window, now, parked.getParkedAt());
                if (decision instanceof Decision.Wait) {
                    remaining.add(parked);
                } else {
                    emit(key, parked.getRequest(), contactId, decision, window, now, now.toEpochMilli(), null);
                }
            }
            parking.keep(key, remaining);
        }
    }

    /**
     * @param parkedAt when the request started waiting (now for a new one), or null when it may not wait (a held send
     *     decided again on leaving the hold)
     */
    private Decision decide(String key, OutboundRequest request, ContactWindow window, Instant now, Instant parkedAt) {
        boolean mayWaitForWindow = parkedAt != null && now.isBefore(parkedAt.plus(settings.windowGrace()));
        Optional<BusinessNumber> number = numbers.find(request.getPhoneNumberId());
        if (number.isEmpty()) {
            // Validated at intake; a number removed from the configuration since then is refused here.
            return new Decision.Refuse(
                    DispatchOutcome.REJECTED,
                    DispatchReason.INVALID_REQUEST,
                    "unknown business phone number id " + request.getPhoneNumberId(),
                    MessageCategory.UNKNOWN);
        }
        String wabaId = number.get().wabaId();
        ContactState contact = new ContactState(key, request, window);
        Decision decision = decider.decide(
                request,
                number.get(),
                window,
                contact::optedOut,
                payload -> catalogEntry(wabaId, payload),
                now,
                mayWaitForWindow);
        if (decision instanceof Decision.Refuse refuse
                && refuse.reason() == DispatchReason.TEMPLATE_NOT_FOUND
                && parkedAt != null
                && now.isBefore(parkedAt.plus(settings.catalogGrace()))
                && !catalogHoldsAccount(wabaId)) {
            // Nothing of the account in the catalog yet: its first template sync has not run (a new system, or an
            // account just configured), so "not found" means "not known yet". Wait for it, as for a window.
            return new Decision.Wait(Decision.Wait.CATALOG);
        }
        if (!(decision instanceof Decision.Send send)) {
            return decision;
        }
        return SendPolicy.apply(
                send,
                WindowRule.isOpen(window, now),
                AccountFacts.newest(accountEvents, wabaId, AccountEventKind.RESTRICTION),
                contact::marketingHeldUntil,
                now);
    }

    /**
     * The contact's marketing preference and marketing hold, read from the global stores under every name of the
     * contact ({@link ContactIdentities}) when a rule first asks, and once: a free-form reply inside the window asks
     * for neither.
     */
    private final class ContactState {

        private final String key;
        private final OutboundRequest request;
        private final ContactWindow window;
        private Set<String> identities;
        private Boolean optedOut;
        private boolean heldRead;
        private Instant heldUntil;

        ContactState(String key, OutboundRequest request, ContactWindow window) {
            this.key = key;
            this.request = request;
            this.window = window;
        }

        boolean optedOut() {
            if (optedOut == null) {
                List<UserPreference> stored = new ArrayList<>();
                for (String identity : identities()) {
                    stored.add(value(preferences.get(identity)));
                }
                optedOut = MarketingPreferences.optedOut(stored);
            }
            return optedOut;
        }

        Instant marketingHeldUntil() {
            if (!heldRead) {
                heldUntil = MarketingHoldsProcessor.heldUntil(marketingHolds, identities());
                heldRead = true;
            }
            return heldUntil;
        }

        private Set<String> identities() {
            if (identities == null) {
                identities = ContactIdentities.keys(key, request, window);
            }
            return identities;
        }
    }

    /**
     * @param held where the request was held at the messaging limit when it is decided again on leaving the hold, else
     *     null: a send still business-initiated goes back to the limit with it; a refusal, or a send inside a window
     *     that opened meanwhile, ends here, and the limit is told so (to free the room it kept)
     */
    private void emit(
            String key,
            OutboundRequest request,
            String contactId,
            Decision decision,
            ContactWindow window,
            Instant now,
            long timestamp,
            HeldSends.Place held) {
        switch (decision) {
            case Decision.Refuse refuse -> {
                refuse(key, request, contactId, refuse, now, timestamp);
                if (held != null) {
                    metrics.redecided(
                            refuse.outcome() == DispatchOutcome.EXPIRED ? "expired" : "refused", refuse.reason());
                    endedHere(key, held, timestamp);
                }
            }
            case Decision.Send send -> {
                SendCommand command = SendCommand.newBuilder()
                        .setRequestId(request.getRequestId())
                        .setKind(SendKind.PRIMARY)
                        .setPhoneNumberId(request.getPhoneNumberId())
                        .setContactId(contactId)
                        .setTo(send.to())
                        .setRecipientUserId(send.recipientUserId())
                        .setRequest(request)
                        .setPrimary(send.primary())
                        .setFallback(send.fallback())
                        .setDecidedAt(now)
                        .build();
                if (SendPolicy.businessInitiated(send.primary(), WindowRule.isOpen(window, now))) {
                    // Counted as sent (or refused) by the portfolio's messaging limit, which it passes next.
                    context.forward(new Record<>(
                            key,
                            new DecisionOutput.BusinessInitiated(command),
                            timestamp,
                            held == null ? new RecordHeaders() : held.headers()));
                } else {
                    metrics.decided("send", null);
                    context.forward(new Record<>(key, new DecisionOutput.Command(command), timestamp));
                    if (held != null) {
                        // The customer wrote while it was held: a reply inside the window, which the limit does
                        // not count.
                        metrics.redecided("in_window", null);
                        endedHere(key, held, timestamp);
                    }
                }
                if (send.fallback() != null) {
                    context.forward(
                            new Record<>(request.getRequestId(), new DecisionOutput.FallbackPlan(command), timestamp));
                }
            }
            case Decision.Wait ignored -> throw new IllegalStateException("a waiting request is parked, not emitted");
        }
    }

    /** Tells the messaging limit that a held send decided again ended here: no command, its place in the headers. */
    private void endedHere(String key, HeldSends.Place held, long timestamp) {
        context.forward(new Record<>(key, new DecisionOutput.BusinessInitiated(null), timestamp, held.headers()));
    }

    private void refuse(
            String key,
            OutboundRequest request,
            String contactId,
            Decision.Refuse refuse,
            Instant now,
            long timestamp) {
        metrics.decided(refuse.outcome().name().toLowerCase(Locale.ROOT), refuse.reason());
        DispatchResult result = Results.refused(
                request, contactId, refuse.outcome(), refuse.reason(), refuse.detail(), refuse.category(), now);
        result.setRestriction(refuse.restriction());
        result.setRetryAfter(refuse.retryAfter());
        context.forward(new Record<>(key, new DecisionOutput.Result(result), timestamp));
    }

    private boolean seen(String requestId, Instant now) {
        // The fetch by epoch milliseconds: the one by Instant builds two error-message prefixes (String.format) per
        // call before it converts.
        try (WindowStoreIterator<Long> found = requestIds.fetch(
                requestId, now.minus(settings.dedupeRetention()).toEpochMilli(), now.toEpochMilli())) {
            return found.hasNext();
        }
    }

    /** Whether the catalog holds any entry of the business account (of any status, deleted ones included). */
    private boolean catalogHoldsAccount(String wabaId) {
        try (KeyValueIterator<String, ValueAndTimestamp<Template>> entries =
                templates.prefixScan(wabaId + ":", KEY_PREFIX)) {
            return entries.hasNext();
        }
    }

    private Template catalogEntry(String wabaId, TemplatePayload payload) {
        String language = payload.getLanguage().replace('-', '_');
        return value(templates.get(new TemplateKey(wabaId, payload.getName(), language).format()));
    }

    private static <V> V value(ValueAndTimestamp<V> stored) {
        return stored == null ? null : stored.value();
    }
}
