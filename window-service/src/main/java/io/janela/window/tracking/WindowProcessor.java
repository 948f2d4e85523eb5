package io.janela.window.tracking;

import io.janela.avro.AccountEvent;
import io.janela.avro.CallEvent;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.avro.WindowEvent;
import io.janela.contract.ContactKey;
import io.janela.streams.DeadlineRebuild;
import io.janela.window.rules.ContactState;
import io.janela.window.rules.Deadline;
import io.janela.window.rules.DeadlineRules;
import io.janela.window.rules.IgnoreReason;
import io.janela.window.rules.Transition;
import io.janela.window.rules.WindowChange;
import io.janela.window.rules.WindowRules;
import io.janela.window.rules.WindowRules.Move;
import io.janela.window.tracking.WindowMetrics.Source;
import io.janela.window.tracking.avro.StoredContact;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each input record to its contact's state with {@link WindowRules}, keeps the deadline index in step with
 * the state, and closes windows from a wall-clock punctuation.
 *
 * <p>"Now" inside {@code process} is the stream thread's cached wall-clock time ({@code currentSystemTimeMs}), not
 * {@code Instant.now()}: it is the clock the punctuator runs on (a window the punctuator would close at once is not
 * opened), it is read once per loop rather than per record, and TopologyTestDriver controls it. Stream time would
 * not do: it is the Meta time of the records seen so far, which stands still when traffic stops and runs days
 * behind while a backlog is replayed.
 */
final class WindowProcessor extends ContextualProcessor<String, WindowInput, String, WindowOutput> {

    private static final Logger log = LoggerFactory.getLogger(WindowProcessor.class);
    /** While deadlines are backed up, punctuate on every pass of the stream thread's loop. */
    private static final Duration CATCH_UP = Duration.ofMillis(1);

    private final WindowRules rules;
    private final TrackingSettings settings;
    private final WindowMetrics metrics;
    private final RecordChecks checks;

    private KeyValueStore<String, StoredContact> contacts;
    private WindowDeadlines deadlines;
    private OpenWindowCounts openWindows;
    private DeadlineRebuild.Handle rebuild;
    private Cancellable punctuation;
    private boolean catchingUp;

    WindowProcessor(TrackingSettings settings, WindowMetrics metrics) {
        this.rules = new WindowRules(settings.policy());
        this.settings = settings;
        this.metrics = metrics;
        this.checks = new RecordChecks(metrics, settings.maxClockSkew());
    }

    @Override
    public void init(ProcessorContext<String, WindowOutput> context) {
        super.init(context);
        contacts = context.getStateStore(StoreNames.CONTACTS);
        deadlines = new WindowDeadlines(context.getStateStore(StoreNames.DEADLINES));
        openWindows = OpenWindowCounts.load(context.getStateStore(StoreNames.OPEN_COUNTS), metrics, context.taskId());
        // After everything above that can fail (DeadlineRebuild.restart). The index has no changelog: the contacts'
        // deadlines go back into it while the task runs (DeadlineIndex).
        rebuild = DeadlineRebuild.restart(
                rebuild,
                context,
                "contacts",
                contacts,
                deadlines::scheduleNext,
                settings.indexRebuild(),
                rebuilt -> metrics.indexRebuilt(rebuilt.took()));
        schedule(settings.punctuationInterval(), false);
    }

    @Override
    public void process(Record<String, WindowInput> record) {
        Instant now = Instant.ofEpochMilli(context().currentSystemTimeMs());
        switch (record.value()) {
            case WindowInput.Inbound inbound -> onInbound(record, inbound.message(), now);
            case WindowInput.Status status -> onStatus(record, status.status(), now);
            case WindowInput.Dispatched dispatched -> onDispatchResult(record, dispatched.result(), now);
            case WindowInput.Call call -> onCall(record, call.call(), now);
            case WindowInput.Echo echo -> onEcho(record, echo.echo(), now);
            case WindowInput.UserIdChanged changed -> onUserIdChange(record, changed.event());
            case WindowInput.Handover handover -> onHandover(record, handover.moved(), now);
        }
    }

    /**
     * A user id changed: the old id's state goes to the handovers topic, keyed by the new id's contact, and a marker
     * stays; the old id's public state is deleted (a tombstone) and the old id published as an alias of the new one.
     */
    private void onUserIdChange(Record<String, WindowInput> record, AccountEvent event) {
        ContactKey oldKey = ContactKey.parse(record.key());
        ContactState before = load(record.key());
        Move move = rules.onUserIdChange(before, oldKey, InputFacts.userIdChange(event));
        apply(record.key(), move.marker(), Source.USER_ID_CHANGE);
        if (!move.marker().changedState()) {
            return;
        }
        metrics.applied(Source.USER_ID_CHANGE);
        long at = event.getTimestamp().toEpochMilli();
        if (move.handedOver() != null) {
            String newKey = new ContactKey(oldKey.phoneNumberId(), event.getNewUserId()).format();
            context()
                    .forward(new Record<>(
                            newKey, new WindowOutput.Handover(ContactStateCodec.encode(move.handedOver())), at));
            if (OutputRecords.window(before) != null) {
                context().forward(new Record<>(record.key(), new WindowOutput.State(null), at));
            }
        }
        openWindows.flush();
    }

    /** The state of a contact whose id changed, at the contact of the new id. */
    private void onHandover(Record<String, WindowInput> record, StoredContact moved, Instant now) {
        ContactState current = load(record.key());
        if (current != null && current.moved()) {
            // The new id has itself changed since: the state goes on to the latest one.
            String next = new ContactKey(
                            current.identity().phoneNumberId(),
                            current.identity().movedTo())
                    .format();
            context().forward(new Record<>(next, new WindowOutput.Handover(moved), record.timestamp()));
            return;
        }
        Transition transition =
                rules.onHandover(current, ContactKey.parse(record.key()), ContactStateCodec.decode(moved), now);
        apply(record.key(), transition, Source.HANDOVER);
        openWindows.flush();
    }

    /** A record naming an id that has changed: its contact's state lives under the new id now. */
    private boolean movedAway(ContactState state, Source source) {
        if (state != null && state.moved()) {
            metrics.ignored(source, IgnoreReason.MOVED);
            return true;
        }
        return false;
    }

    private void onCall(Record<String, WindowInput> record, CallEvent call, Instant now) {
        if (call == null) {
            emptyValue(Source.CALL);
            return;
        }
        // A call Meta named by phone number only arrives re-keyed by the contact's alias: its contact id is not the
        // key.
        ContactKey key = checks.contactKey(
                record.key(),
                call.getPhoneNumberId(),
                InputFacts.keyedByPhoneNumber(call) ? null : call.getContactId(),
                Source.CALL);
        checks.requireId(call.getCallId(), Source.CALL);
        checks.requireNotFuture(call.getTimestamp(), now, Source.CALL);
        ContactState before = load(record.key());
        if (movedAway(before, Source.CALL)) {
            return;
        }
        Transition transition = rules.onCall(before, key, InputFacts.customerCall(call), now);
        apply(record.key(), transition, Source.CALL);
        if (transition.changedState()) {
            metrics.applied(Source.CALL);
        }
        openWindows.flush();
    }

    private void onEcho(Record<String, WindowInput> record, MessageEcho echo, Instant now) {
        if (echo == null) {
            emptyValue(Source.ECHO);
            return;
        }
        checks.contactKey(
                record.key(),
                echo.getPhoneNumberId(),
                InputFacts.keyedByPhoneNumber(echo) ? null : echo.getContactId(),
                Source.ECHO);
        checks.requireId(echo.getMessageId(), Source.ECHO);
        checks.requireNotFuture(echo.getTimestamp(), now, Source.ECHO);
        ContactState before = load(record.key());
        if (movedAway(before, Source.ECHO)) {
            return;
        }
        Transition transition = rules.onAppReply(before, InputFacts.appReply(echo), now);
        apply(record.key(), transition, Source.ECHO);
        if (transition.changedState()) {
            metrics.applied(Source.ECHO);
        }
        openWindows.flush();
    }

    private void onInbound(Record<String, WindowInput> record, InboundMessage message, Instant now) {
        if (message == null) {
            emptyValue(Source.INBOUND);
            return;
        }
        ContactKey key =
                checks.contactKey(record.key(), message.getPhoneNumberId(), message.getContactId(), Source.INBOUND);
        checks.requireId(message.getMessageId(), Source.INBOUND);
        checks.requireNotFuture(message.getTimestamp(), now, Source.INBOUND);
        ContactState before = load(record.key());
        if (movedAway(before, Source.INBOUND)) {
            return;
        }
        Transition transition = rules.onCustomerMessage(before, key, InputFacts.customerMessage(message), now);
        apply(record.key(), transition, Source.INBOUND);
        openWindows.flush();
    }

    private void onStatus(Record<String, WindowInput> record, MessageStatus status, Instant now) {
        if (status == null) {
            emptyValue(Source.STATUS);
            return;
        }
        // Not the contact id: a failed status to a phone number arrives here re-keyed by the contact's alias.
        checks.contactKey(record.key(), status.getPhoneNumberId(), null, Source.STATUS);
        checks.requireId(status.getMessageId(), Source.STATUS);
        checks.requireNotFuture(status.getTimestamp(), now, Source.STATUS);
        Steps steps = new Steps(load(record.key()));
        if (movedAway(steps.state(), Source.STATUS)) {
            return;
        }
        if (InputFacts.identity(status) != null) {
            steps.then(rules.onIdentity(steps.state(), InputFacts.identity(status)));
        }
        if (InputFacts.metaClose(status) != null) {
            steps.then(rules.onMetaClose(steps.state(), InputFacts.metaClose(status)));
        }
        if (InputFacts.businessMessage(status) != null) {
            steps.then(rules.onBusinessMessage(steps.state(), InputFacts.businessMessage(status), now));
        }
        if (InputFacts.fepConfirmation(status) != null) {
            steps.then(rules.onFepConfirmation(steps.state(), InputFacts.fepConfirmation(status)));
        }
        apply(record.key(), steps.result(), Source.STATUS);
        openWindows.flush();
    }

    private void onDispatchResult(Record<String, WindowInput> record, DispatchResult result, Instant now) {
        if (result == null) {
            emptyValue(Source.DISPATCH);
            return;
        }
        checks.contactKey(record.key(), result.getPhoneNumberId(), null, Source.DISPATCH);
        Steps steps = new Steps(load(record.key()));
        if (movedAway(steps.state(), Source.DISPATCH)) {
            return;
        }
        if (InputFacts.metaClose(result) != null) {
            steps.then(rules.onMetaClose(steps.state(), InputFacts.metaClose(result)));
        }
        if (InputFacts.businessMessage(result) != null) {
            steps.then(rules.onBusinessMessage(steps.state(), InputFacts.businessMessage(result), now));
        }
        apply(record.key(), steps.result(), Source.DISPATCH);
        openWindows.flush();
    }

    /**
     * Acts on the deadlines due at {@code timestamp} (wall-clock milliseconds), at most
     * {@code maxDeadlinesPerPunctuation} of them, earliest first; while more are due, comes back on the stream
     * thread's next pass instead of waiting a whole interval.
     */
    void punctuate(long timestamp) {
        long started = System.nanoTime();
        Instant now = Instant.ofEpochMilli(timestamp);
        List<WindowDeadlines.Entry> due = deadlines.due(now, settings.maxDeadlinesPerPunctuation());
        for (WindowDeadlines.Entry entry : due) {
            deadlines.remove(entry);
            ContactState state = load(entry.contactKey());
            Deadline next = DeadlineRules.nextDeadline(state);
            if (!entry.deadline().equals(next)) {
                // The window was refreshed (its deadline moved on), closed, or reopened since this entry was put:
                // the entry moves to the window's next deadline, or goes.
                deadlines.schedule(entry.contactKey(), next);
                metrics.ignored(Source.DEADLINE, IgnoreReason.STALE);
                continue;
            }
            // A warning and the expiry can both be due (after downtime, or a refresh that came late): act on each.
            while (next != null && !next.dueAt().isAfter(now)) {
                Transition transition = DeadlineRules.onDeadline(state, next, now);
                apply(entry.contactKey(), transition, null);
                for (WindowChange change : transition.changes()) {
                    if (change instanceof WindowChange.Closed closed) {
                        metrics.closeDelay(Duration.between(closed.window().closedAt(), now));
                    }
                }
                state = transition.after();
                next = DeadlineRules.nextDeadline(state);
            }
            deadlines.schedule(entry.contactKey(), next);
        }
        openWindows.flush();
        boolean backlog = due.size() >= settings.maxDeadlinesPerPunctuation();
        if (backlog != catchingUp) {
            log.info(
                    backlog
                            ? "More than {} deadlines due: punctuating on every pass until they are done"
                            : "Deadline backlog done ({} per punctuation); back to the regular interval",
                    settings.maxDeadlinesPerPunctuation());
            schedule(backlog ? CATCH_UP : settings.punctuationInterval(), backlog);
        }
        metrics.punctuation(Duration.ofNanos(System.nanoTime() - started), due.size());
    }

    @Override
    public void close() {
        if (rebuild != null) {
            rebuild.close();
        }
        if (openWindows != null) {
            openWindows.close();
        }
    }

    /** Stores the new state, moves its deadlines, and emits events, the public state and an alias as they changed. */
    private void apply(String contactKey, Transition transition, Source source) {
        if (transition.ignored() != null && source != null) {
            metrics.ignored(source, transition.ignored());
        }
        ContactState before = transition.before();
        ContactState after = transition.after();
        if (!transition.changedState()) {
            // A late act changes no state, and is still told (WindowChange.Late).
            emit(contactKey, after != null ? after : ContactState.unknown(ContactKey.parse(contactKey)), transition);
            return;
        }
        contacts.put(contactKey, ContactStateCodec.encode(after));
        if (source != null) {
            deadlines.follow(contactKey, DeadlineRules.nextDeadline(before), DeadlineRules.nextDeadline(after));
        }
        openWindows.change(after.identity().phoneNumberId(), before != null && before.isOpen(), after.isOpen());
        emit(contactKey, after, transition);
        var window = OutputRecords.window(after);
        if (window != null && !window.equals(OutputRecords.window(before))) {
            long timestamp = OutputRecords.stateTimestamp(window, context().currentSystemTimeMs());
            context().forward(new Record<>(contactKey, new WindowOutput.State(window), timestamp));
        }
        if (transition.alias() != null) {
            context()
                    .forward(new Record<>(
                            OutputRecords.aliasKey(transition.alias()),
                            new WindowOutput.Alias(OutputRecords.alias(transition.alias())),
                            transition.alias().seenAt().toEpochMilli()));
            metrics.aliasPublished();
        }
    }

    private void emit(String contactKey, ContactState state, Transition transition) {
        for (WindowChange change : transition.changes()) {
            WindowEvent event = OutputRecords.event(state, change);
            context()
                    .forward(new Record<>(
                            contactKey,
                            new WindowOutput.Event(event),
                            event.getOccurredAt().toEpochMilli()));
            metrics.event(event.getType(), event.getPhoneNumberId());
        }
    }

    private ContactState load(String contactKey) {
        return ContactStateCodec.decode(contacts.get(contactKey));
    }

    private void schedule(Duration every, boolean catchUp) {
        if (punctuation != null) {
            punctuation.cancel();
        }
        punctuation = context().schedule(every, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        catchingUp = catchUp;
    }

    private void emptyValue(Source source) {
        metrics.ignored(source, IgnoreReason.EMPTY);
        log.warn("Skipped a record without a value on the {} input", source.tag());
    }
}
