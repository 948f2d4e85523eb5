package io.janela.survey.asking;

import io.janela.avro.ConversationResolution;
import io.janela.avro.OutboundRequest;
import io.janela.avro.SurveyEvent;
import io.janela.avro.WindowEvent;
import io.janela.avro.WindowEventType;
import io.janela.streams.DeadlineIndex;
import io.janela.streams.DeadlineRebuild;
import io.janela.survey.asking.avro.StoredSurveys;
import io.janela.survey.rules.ContactSurveys;
import io.janela.survey.rules.Step;
import io.janela.survey.rules.SurveyChange;
import io.janela.survey.rules.SurveyRules;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Applies each input to its contact's surveys with {@link SurveyRules}, keeps the deadline index in step, and runs
 * due surveys (requests, expiries) from a wall-clock punctuation.
 *
 * <p>"Now" is the stream thread's cached wall-clock time ({@code currentSystemTimeMs}), the clock the punctuator runs
 * on and the one TopologyTestDriver controls; message times are Meta's, carried in the records.
 */
final class SurveyProcessor extends ContextualProcessor<String, SurveyInput, String, SurveyOutput> {

    private final SurveyRules rules;
    private final SurveySettings settings;
    private final SurveyMetrics metrics;
    private final Requests requests;

    private KeyValueStore<String, StoredSurveys> surveys;
    private DeadlineIndex<SurveyDeadline> deadlines;
    private DeadlineRebuild.Handle rebuild;

    SurveyProcessor(SurveySettings settings, SurveyMetrics metrics) {
        this.rules = new SurveyRules(settings.policy());
        this.settings = settings;
        this.metrics = metrics;
        this.requests = new Requests(settings);
    }

    @Override
    public void init(ProcessorContext<String, SurveyOutput> context) {
        super.init(context);
        surveys = context.getStateStore(StoreNames.SURVEYS);
        deadlines = new DeadlineIndex<>(context.getStateStore(StoreNames.DEADLINES), SurveyDeadline.class);
        // The index has no changelog: the surveys' deadlines go back into it while the task runs (DeadlineIndex).
        rebuild = DeadlineRebuild.restart(
                rebuild,
                context,
                "surveys",
                surveys,
                this::scheduleNext,
                settings.indexRebuild(),
                rebuilt -> metrics.indexRebuilt(rebuilt.took()));
        context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, SurveyInput> record) {
        String contactKey = record.key();
        if (contactKey == null || record.value() == null) {
            return;
        }
        Instant now = Instant.ofEpochMilli(context().currentSystemTimeMs());
        ContactSurveys state = load(contactKey);
        Step step = switch (record.value()) {
            case SurveyInput.Resolved resolved -> onResolution(contactKey, state, resolved.resolution());
            case SurveyInput.Inbound inbound ->
                rules.onCustomerMessage(state, Facts.customerMessage(inbound.message()));
            case SurveyInput.Dispatched dispatched ->
                rules.onSendOutcome(state, Facts.outcome(dispatched.result()), now);
            case SurveyInput.Status status ->
                rules.onDelivered(
                        state, status.status().getMessageId(), status.status().getTimestamp());
            case SurveyInput.Window window -> onWindowEvent(contactKey, state, window.event(), now);
        };
        apply(contactKey, step);
    }

    private Step onResolution(String contactKey, ContactSurveys state, ConversationResolution resolution) {
        return rules.onResolution(state, Facts.resolution(contactKey, resolution));
    }

    private Step onWindowEvent(String contactKey, ContactSurveys state, WindowEvent event, Instant now) {
        if (event.getType() == WindowEventType.OPENED) {
            return rules.onWindowOpened(state, event.getWindowOpenedAt());
        }
        if (event.getType() == WindowEventType.CLOSING_SOON
                && settings.surveysAtClosingSoon(event.getPhoneNumberId())) {
            return rules.onClosingSoon(state, Facts.closingSoon(contactKey, event), now);
        }
        return rules.onWindowOpened(state, event.getWindowOpenedAt());
    }

    /**
     * Runs the surveys due at {@code timestamp} (wall-clock milliseconds), at most {@code maxDeadlinesPerPunctuation},
     * earliest first: PENDING ones are requested (or throttled), OPEN ones expire.
     */
    void punctuate(long timestamp) {
        long started = System.nanoTime();
        Instant now = Instant.ofEpochMilli(timestamp);
        deadlines.takeDue(timestamp, settings.maxDeadlinesPerPunctuation(), due -> {
            ContactSurveys state = load(due.id());
            Instant next = SurveyRules.nextDeadline(state);
            // An entry that no longer matches its contact (the survey moved on since, or the entry is left from an
            // earlier assignment) is only taken out.
            if (next != null && next.toEpochMilli() == due.dueAt()) {
                apply(due.id(), rules.onDue(state, now));
            }
        });
        metrics.punctuation(Duration.ofNanos(System.nanoTime() - started));
    }

    private void apply(String contactKey, Step step) {
        if (step.ignored() != null) {
            metrics.ignored(step.ignored());
        }
        if (step.changedState()) {
            surveys.put(contactKey, StateCodec.encode(step.after()));
            moveDeadline(contactKey, SurveyRules.nextDeadline(step.before()), SurveyRules.nextDeadline(step.after()));
        }
        long timestamp = context().currentSystemTimeMs();
        for (SurveyChange change : step.changes()) {
            if (change instanceof SurveyChange.Requested requested) {
                OutboundRequest request = requests.request(requested.survey());
                context().forward(new Record<>(contactKey, new SurveyOutput.Request(request), timestamp));
                metrics.requested();
                continue;
            }
            SurveyEvent event = Events.of(change);
            context()
                    .forward(new Record<>(
                            contactKey,
                            new SurveyOutput.Event(event),
                            event.getOccurredAt().toEpochMilli()));
            metrics.event(event.getKind());
        }
    }

    /** Moves a contact's entry from {@code before} to {@code after} (either may be null: none). */
    private void moveDeadline(String contactKey, Instant before, Instant after) {
        if (before != null && before.equals(after)) {
            return;
        }
        if (before != null) {
            deadlines.cancel(before.toEpochMilli(), SurveyDeadline.NEXT, contactKey);
        }
        if (after != null) {
            deadlines.schedule(after.toEpochMilli(), SurveyDeadline.NEXT, contactKey);
        }
    }

    private ContactSurveys load(String contactKey) {
        return StateCodec.decode(surveys.get(contactKey));
    }

    /** Puts the next deadline a contact's stored surveys name (what the index rebuild does for each contact). */
    private void scheduleNext(String contactKey, StoredSurveys stored) {
        Instant due = SurveyRules.nextDeadline(StateCodec.decode(stored));
        if (due != null) {
            deadlines.schedule(due.toEpochMilli(), SurveyDeadline.NEXT, contactKey);
        }
    }

    @Override
    public void close() {
        if (rebuild != null) {
            rebuild.close();
        }
    }
}
