package io.janela.metrics.message;

import io.janela.avro.DispatchOutcome;
import io.janela.avro.DispatchResult;
import io.janela.avro.MessageStatus;
import io.janela.avro.ResultKind;
import io.janela.contract.ContactKey;
import io.janela.metrics.conversation.BusinessMessage;
import io.janela.metrics.state.MessageState;
import io.janela.metrics.streams.DeadlineKind;
import io.janela.metrics.streams.DecodedStateCache;
import io.janela.metrics.streams.IndexRebuild;
import io.janela.metrics.streams.LateMeasurement;
import io.janela.metrics.streams.MeasurementSettings;
import io.janela.metrics.streams.Measurements;
import io.janela.metrics.streams.StreamsMeters;
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
 * Keeps each business message's {@link MessageLifecycle} from its status webhooks and dispatch result, keyed in its
 * store by {@code {phoneNumberId}:{messageId}}, and forwards its measurements and its {@link BusinessMessage}, keyed
 * by contact. Records arrive keyed by message ({@link MessageKeys}), each naming in its {@code contactId} the contact
 * it was resolved to, so every record of one message reaches the same task whatever contact key it came with.
 */
final class MessageProcessor implements Processor<String, Object, String, Object> {

    private final MessageStores stores;
    private final MeasurementSettings settings;
    private final StreamsMeters meters;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, MessageState> messages;
    private DeadlineIndex<DeadlineKind> deadlines;
    private DeadlineRebuild.Handle rebuild;
    private DecodedStateCache<MessageState> cache;

    MessageProcessor(MessageStores stores, MeasurementSettings settings, StreamsMeters meters) {
        this.stores = stores;
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.messages = context.getStateStore(stores.messages());
        this.deadlines = DeadlineKind.index(context.getStateStore(stores.deadlines()));
        this.rebuild = IndexRebuild.restart(
                rebuild,
                context,
                "messages",
                deadlines,
                messages,
                MessageState::getCheckAt,
                MessageState::getEvictCheckAt,
                settings,
                meters);
        this.cache = new DecodedStateCache<>(settings.stateCacheEntries());
        context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, Object> record) {
        long now = context.currentSystemTimeMs();
        try {
            switch (record.value()) {
                case MessageStatus status -> status(status, now);
                case DispatchResult result -> dispatchResult(result, now);
                case null -> throw new IllegalArgumentException("a record without a value on a message input");
                default ->
                    throw new IllegalArgumentException("unexpected record on a message input: "
                            + record.value().getClass());
            }
        } catch (RuntimeException e) {
            // The cached state may hold a change that was never stored.
            cache.clear();
            throw e;
        }
    }

    /** Settles due messages and drops old ones; the wall-clock punctuation calls it, and tests may. */
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

    private void handle(DeadlineIndex.Due<DeadlineKind> due, long now) {
        MessageState state = stored(due.id());
        if (state == null) {
            return;
        }
        if (due.kind() == DeadlineKind.CHECK && Long.valueOf(due.dueAt()).equals(state.getCheckAt())) {
            state.setCheckAt(null);
            settleAndStore(due.id(), new MessageLifecycle(state), now);
        } else if (due.kind() == DeadlineKind.EVICT && Long.valueOf(due.dueAt()).equals(state.getEvictCheckAt())) {
            evictOrPostpone(due.id(), state, now);
        }
    }

    private void status(MessageStatus status, long now) {
        String id = MessageKeys.of(status);
        MessageLifecycle lifecycle =
                load(id, new ContactKey(status.getPhoneNumberId(), status.getContactId()), status.getMessageId());
        apply(id, lifecycle, lifecycle.applyStatus(status, now), "message_status", now);
    }

    private void dispatchResult(DispatchResult result, long now) {
        if (result.getKind() != ResultKind.OUTCOME && result.getKind() != ResultKind.FALLBACK_OUTCOME) {
            // DELIVERY_FAILED repeats a failed status this step reads itself: counting both would count twice.
            return;
        }
        ContactKey key = new ContactKey(result.getPhoneNumberId(), result.getContactId());
        if (result.getOutcome() == DispatchOutcome.SENT) {
            String id = MessageKeys.of(result);
            MessageLifecycle lifecycle = load(id, key, DispatchMeasurements.messageId(result));
            MessageLifecycle.Applied applied = lifecycle.applySent(result, now);
            if (applied == MessageLifecycle.Applied.ADDED) {
                // The message's contact: the user id a status named, if one came first.
                String contactId = lifecycle.state().getContactId();
                forward(
                        new ContactKey(key.phoneNumberId(), contactId).format(),
                        DispatchMeasurements.sent(result, contactId));
            }
            apply(id, lifecycle, applied, "dispatch_result", now);
        } else if (result.getOutcome() == DispatchOutcome.FAILED) {
            refused(key, result, now);
        }
        // REJECTED, EXPIRED and DUPLICATE are Janela's own decisions, counted by the dispatch-service.
    }

    /** A send the Cloud API refused: counted once per request id. */
    private void refused(ContactKey key, DispatchResult result, long now) {
        String id = MessageKeys.of(result);
        if (stored(id) != null) {
            meters.duplicate("dispatch_result");
            return;
        }
        forward(key.format(), DispatchMeasurements.refused(result, key.contactId()));
        MessageState marker = MessageLifecycle.start(key.phoneNumberId(), key.contactId(), null)
                .state();
        marker.setFailureEmitted(true);
        marker.setLastChangedAt(now);
        marker.setEvictCheckAt(deadlines.ensure(
                DeadlineKind.EVICT, id, null, now + settings.stateRetention().toMillis()));
        put(id, marker);
    }

    private void apply(
            String id, MessageLifecycle lifecycle, MessageLifecycle.Applied applied, String input, long now) {
        switch (applied) {
            case DUPLICATE -> meters.duplicate(input);
            case IGNORED -> {}
            case ADDED -> {
                lifecycle.state().setLastChangedAt(now);
                settleAndStore(id, lifecycle, now);
            }
        }
    }

    private void settleAndStore(String id, MessageLifecycle lifecycle, long now) {
        MessageState state = lifecycle.state();
        String contactKey = state.getPhoneNumberId() + ':' + state.getContactId();
        MessageLifecycle.Settlement settlement = lifecycle.settle(now, settings.settleDelay());
        BusinessMessage business = settlement.businessMessage();
        if (business != null) {
            context.forward(new Record<>(contactKey, business, business.at().toEpochMilli()));
        }
        for (SpecificRecord measurement : settlement.measurements()) {
            forward(contactKey, measurement);
        }
        for (Map.Entry<LateMeasurement, Integer> late : settlement.late().entrySet()) {
            meters.lateMeasurement(late.getKey(), late.getValue());
        }
        state.setCheckAt(deadlines.keepEarliest(DeadlineKind.CHECK, id, state.getCheckAt(), settlement.nextCheckAt()));
        state.setEvictCheckAt(deadlines.ensure(
                DeadlineKind.EVICT,
                id,
                state.getEvictCheckAt(),
                state.getLastChangedAt() + settings.stateRetention().toMillis()));
        put(id, state);
    }

    private void put(String id, MessageState state) {
        messages.put(id, state);
        cache.put(id, state);
    }

    private MessageState stored(String id) {
        MessageState cached = cache.get(id);
        return cached != null ? cached : messages.get(id);
    }

    private void evictOrPostpone(String id, MessageState state, long now) {
        long idleUntil = state.getLastChangedAt() + settings.stateRetention().toMillis();
        if (idleUntil <= now) {
            if (state.getCheckAt() != null) {
                deadlines.cancel(state.getCheckAt(), DeadlineKind.CHECK, id);
            }
            messages.delete(id);
            cache.remove(id);
            return;
        }
        deadlines.schedule(idleUntil, DeadlineKind.EVICT, id);
        state.setEvictCheckAt(idleUntil);
        put(id, state);
    }

    private MessageLifecycle load(String id, ContactKey key, String messageId) {
        MessageState state = stored(id);
        return state == null
                ? MessageLifecycle.start(key.phoneNumberId(), key.contactId(), messageId)
                : new MessageLifecycle(state);
    }

    private void forward(String contactKey, SpecificRecord measurement) {
        context.forward(new Record<>(contactKey, measurement, Measurements.occurredAt(measurement)));
    }
}
