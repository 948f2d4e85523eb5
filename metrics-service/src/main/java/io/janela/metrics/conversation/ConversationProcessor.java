package io.janela.metrics.conversation;

import io.janela.avro.CloseReason;
import io.janela.avro.ConversationResolution;
import io.janela.avro.InboundMessage;
import io.janela.avro.SlaEvent;
import io.janela.avro.SurveyEvent;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.contract.ContactKey;
import io.janela.metrics.sla.SlaSettings;
import io.janela.metrics.state.ConversationState;
import io.janela.metrics.streams.DeadlineKind;
import io.janela.metrics.streams.DecodedStateCache;
import io.janela.metrics.streams.IndexRebuild;
import io.janela.metrics.streams.LateMeasurement;
import io.janela.metrics.streams.MeasurementSettings;
import io.janela.metrics.streams.Measurements;
import io.janela.metrics.streams.StreamsMeters;
import io.janela.metrics.streams.UnplacedLateAct;
import io.janela.streams.DeadlineIndex;
import io.janela.streams.DeadlineRebuild;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps each contact's {@link Conversation} (customer messages, business messages from the message stream, windows
 * from the window-service) and emits its measurements through {@link ConversationSettler}. Keyed by contact key.
 *
 * <p>A record only changes the conversation and makes sure a settle check is due one settle delay later: nothing it
 * touches can be emitted sooner. A wall-clock punctuation finds the contacts whose check is due through a
 * {@link DeadlineIndex}, settles them, and drops contacts that have not changed for the retention period.
 */
final class ConversationProcessor implements Processor<String, Object, String, SpecificRecord> {

    private final ConversationStores stores;
    private final MeasurementSettings settings;
    private final StreamsMeters meters;
    private final SlaSettings sla;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ConversationState> conversations;
    private DeadlineIndex<DeadlineKind> deadlines;
    private DeadlineRebuild.Handle rebuild;
    private DecodedStateCache<ConversationCodec.Stored> cache;

    ConversationProcessor(
            ConversationStores stores, MeasurementSettings settings, StreamsMeters meters, SlaSettings sla) {
        this.stores = stores;
        this.settings = settings;
        this.meters = meters;
        this.sla = sla;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.conversations = context.getStateStore(stores.conversations());
        this.deadlines = DeadlineKind.index(context.getStateStore(stores.deadlines()));
        this.rebuild = IndexRebuild.restart(
                rebuild,
                context,
                "conversations",
                deadlines,
                conversations,
                ConversationState::getCheckAt,
                ConversationState::getEvictCheckAt,
                settings,
                meters);
        this.cache = new DecodedStateCache<>(settings.stateCacheEntries());
        context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, Object> record) {
        ContactKey key = ContactKey.parse(record.key());
        Object value = record.value();
        if (value == null) {
            throw new IllegalArgumentException("a record without a value on a conversation input");
        }
        if (value instanceof InboundMessage message
                && !CustomerMessageKinds.awaitsReply(message)
                && !CustomerMessageKinds.isSurveyTap(message)) {
            return;
        }
        if (value instanceof WindowEvent event
                && event.getType() != WindowEventType.OPENED
                && event.getType() != WindowEventType.CLOSED
                && event.getType() != WindowEventType.CLOSING_SOON
                && event.getType() != WindowEventType.LATE) {
            return;
        }
        cache.forgetOnFailure(key.format(), () -> apply(key, value, context.currentSystemTimeMs()));
    }

    /** Settles due conversations and drops idle ones; the wall-clock punctuation calls it, and tests may. */
    void punctuate(long now) {
        deadlines.takeDue(
                now, settings.maxDuePerPunctuation(), due -> cache.forgetOnFailure(due.id(), () -> handle(due, now)));
    }

    @Override
    public void close() {
        if (rebuild != null) {
            rebuild.close();
        }
        cache.clear();
    }

    private void apply(ContactKey key, Object value, long now) {
        String id = key.format();
        ConversationCodec.Stored stored = load(id, key);
        Conversation conversation = stored.conversation();
        if (value instanceof WindowEvent event && event.getType() == WindowEventType.CLOSING_SOON) {
            if (windowClosing(id, conversation, event)) {
                store(id, conversation, stored.checkAt(), stored.lastChangedAt(), stored.evictCheckAt());
            }
            return;
        }
        Conversation.Applied applied = switch (value) {
            case InboundMessage message
            when CustomerMessageKinds.isSurveyTap(message) ->
                conversation.surveyAnswered(new CustomerMessage(message.getMessageId(), message.getTimestamp(), now));
            case InboundMessage message ->
                conversation.addCustomerMessage(
                        new CustomerMessage(message.getMessageId(), message.getTimestamp(), now));
            case BusinessMessage message -> conversation.addBusinessMessage(message.arrived(now));
            case SurveyEvent answer ->
                conversation.surveyAnswered(new CustomerMessage(
                        answer.getAnswerMessageId(),
                        answer.getAnsweredAt() != null ? answer.getAnsweredAt() : answer.getOccurredAt(),
                        now));
            case WindowEvent event -> applyWindowEvent(conversation, event, now);
            case ConversationResolution resolution ->
                conversation.addResolution(new Resolution(
                        resolution.getResolvedAt(), resolution.getResolutionId(), resolution.getTeam(), false, now));
            default ->
                throw new IllegalArgumentException("unexpected record on a conversation input: " + value.getClass());
        };
        switch (applied) {
            case DUPLICATE -> meters.duplicate(inputName(value));
            case BEYOND_HORIZON -> meters.lateInput(inputName(value));
            case SURVEY_ANSWER -> {
                // Already known as a survey answer: nothing waits, nothing changes.
            }
            case ADDED -> {
                if (value instanceof WindowEvent event && event.getType() == WindowEventType.CLOSED) {
                    windowClosing(id, conversation, event);
                }
                TimelinePruning.Result pruned = TimelinePruning.prune(conversation, now, settings);
                forward(id, pruned.settled());
                if (pruned.waitingDropped() > 0) {
                    meters.lateInput("inbound_message", pruned.waitingDropped());
                }
                if (settings.settleDelay().isZero()) {
                    settleAndStore(id, stored, now, now);
                } else {
                    Long checkAt = deadlines.keepEarliest(
                            DeadlineKind.CHECK,
                            id,
                            stored.checkAt(),
                            now + settings.settleDelay().toMillis());
                    store(id, conversation, checkAt, now, stored.evictCheckAt());
                }
            }
        }
    }

    private void handle(DeadlineIndex.Due<DeadlineKind> due, long now) {
        ConversationCodec.Stored stored = cache.get(due.id());
        if (stored == null) {
            ConversationState state = conversations.get(due.id());
            if (state == null) {
                return;
            }
            stored = ConversationCodec.decode(state);
        }
        if (due.kind() == DeadlineKind.CHECK && Long.valueOf(due.dueAt()).equals(stored.checkAt())) {
            settleAndStore(due.id(), withCheckAt(stored, null), now, stored.lastChangedAt());
        } else if (due.kind() == DeadlineKind.EVICT && Long.valueOf(due.dueAt()).equals(stored.evictCheckAt())) {
            evictOrPostpone(due.id(), stored, now);
        }
    }

    private Conversation.Applied applyWindowEvent(Conversation conversation, WindowEvent event, long now) {
        if (event.getType() == WindowEventType.LATE) {
            Conversation.LateApplied late = conversation.lateAct(
                    new LateAct(event.getWindowOpenedAt(), event.getWindowExpiresAt(), opening(event, now)));
            if (late.forgottenOverCap() > 0) {
                meters.lateActsUnplaced(UnplacedLateAct.OVER_CAP, late.forgottenOverCap());
            }
            if (late.inNoWindow()) {
                meters.lateActsUnplaced(UnplacedLateAct.WINDOW_MEASURED, 1);
            }
            return late.applied();
        }
        if (event.getType() == WindowEventType.OPENED) {
            return conversation.windowOpened(
                    event.getWindowOpenedAt(), event.getWindowExpiresAt(), opening(event, now));
        }
        return conversation.windowClosed(
                event.getWindowOpenedAt(),
                event.getWindowExpiresAt(),
                event.getLastInboundAt(),
                new Window.Closing(
                        event.getOccurredAt(),
                        event.getCloseReason() == null ? CloseReason.UNKNOWN : event.getCloseReason(),
                        event.getBusinessReplied(),
                        event.getWaitingSince(),
                        now));
    }

    /** What an OPENED (or LATE) event says of the window's opening. */
    private static Window.Opening opening(WindowEvent event, long now) {
        return new Window.Opening(
                event.getOpeningMessageId(),
                event.getFirstContact(),
                event.getPreviousWindowClosedAt(),
                event.getViaReferral(),
                now);
    }

    private void settleAndStore(String key, ConversationCodec.Stored stored, long now, long lastChangedAt) {
        Conversation conversation = stored.conversation();
        ConversationSettler.Settlement settlement =
                ConversationSettler.settle(conversation, now, settings.settleDelay());
        forward(key, settlement);
        SlaWatch.Notices notices = SlaWatch.due(conversation, conversation.slaNotices(), now, sla);
        notify(key, conversation, notices);
        Reopens.Settlement reopens = Reopens.settle(conversation, now, settings.settleDelay(), settings.reopenWithin());
        for (SpecificRecord measurement : reopens.measurements()) {
            context.forward(new Record<>(key, measurement, Measurements.occurredAt(measurement)));
        }
        Long next = earliest(earliest(settlement.nextCheckAt(), notices.nextCheckAt()), reopens.nextCheckAt());
        Long checkAt = deadlines.keepEarliest(DeadlineKind.CHECK, key, stored.checkAt(), next);
        store(key, conversation, checkAt, lastChangedAt, stored.evictCheckAt());
    }

    /** A window closing (soon) while the contact waits: one notice per waiting period. Whether one was sent. */
    private boolean windowClosing(String key, Conversation conversation, WindowEvent event) {
        SlaWatch.Notices notices = SlaWatch.windowClosing(
                conversation, conversation.slaNotices(), event.getOccurredAt(), event.getWindowExpiresAt());
        notify(key, conversation, notices);
        return !notices.events().isEmpty();
    }

    private void notify(String key, Conversation conversation, SlaWatch.Notices notices) {
        for (SlaEvent event : notices.events()) {
            context.forward(new Record<>(key, event, event.getOccurredAt().toEpochMilli()));
        }
        conversation.slaNotices(notices.emitted());
    }

    private void forward(String key, ConversationSettler.Settlement settlement) {
        for (SpecificRecord measurement : settlement.measurements()) {
            context.forward(new Record<>(key, measurement, Measurements.occurredAt(measurement)));
        }
        for (Map.Entry<LateMeasurement, Integer> late : settlement.late().entrySet()) {
            meters.lateMeasurement(late.getKey(), late.getValue());
        }
    }

    private void store(String key, Conversation conversation, Long checkAt, long lastChangedAt, Long evictCheckAt) {
        Long eviction = deadlines.ensure(
                DeadlineKind.EVICT,
                key,
                evictCheckAt,
                lastChangedAt + settings.stateRetention().toMillis());
        ConversationCodec.Stored stored = new ConversationCodec.Stored(conversation, checkAt, lastChangedAt, eviction);
        conversations.put(key, ConversationCodec.encode(stored));
        cache.put(key, stored);
    }

    private void evictOrPostpone(String key, ConversationCodec.Stored stored, long now) {
        long idleUntil = stored.lastChangedAt() + settings.stateRetention().toMillis();
        if (idleUntil <= now) {
            if (stored.checkAt() != null) {
                deadlines.cancel(stored.checkAt(), DeadlineKind.CHECK, key);
            }
            conversations.delete(key);
            cache.remove(key);
            return;
        }
        // Changed since the eviction was scheduled: one index entry per retention period, not one per change.
        deadlines.schedule(idleUntil, DeadlineKind.EVICT, key);
        store(key, stored.conversation(), stored.checkAt(), stored.lastChangedAt(), idleUntil);
    }

    private ConversationCodec.Stored load(String id, ContactKey key) {
        ConversationCodec.Stored cached = cache.get(id);
        if (cached != null) {
            return cached;
        }
        ConversationState state = conversations.get(id);
        if (state == null) {
            return new ConversationCodec.Stored(
                    Conversation.empty(key.phoneNumberId(), key.contactId()), null, 0, null);
        }
        return ConversationCodec.decode(state);
    }

    private static ConversationCodec.Stored withCheckAt(ConversationCodec.Stored stored, Long checkAt) {
        return new ConversationCodec.Stored(
                stored.conversation(), checkAt, stored.lastChangedAt(), stored.evictCheckAt());
    }

    private static Long earliest(Long one, Long other) {
        if (one == null) {
            return other;
        }
        return other == null ? one : Math.min(one, other);
    }

    private static String inputName(Object value) {
        return switch (value) {
            case InboundMessage ignored -> "inbound_message";
            case WindowEvent ignored -> "window_event";
            case SurveyEvent ignored -> "survey_answer";
            case ConversationResolution ignored -> "conversation_resolution";
            default -> "business_message";
        };
    }
}
