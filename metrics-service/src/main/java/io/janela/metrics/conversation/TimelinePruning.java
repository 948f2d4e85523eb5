package io.janela.metrics.conversation;

import io.janela.metrics.streams.MeasurementSettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keeps a conversation's timeline bounded without losing a measurement. The horizon ({@code timeline-horizon}) only
 * forgets what every measurement derived from it has been emitted for: a backlog that spans more than the horizon
 * (the service catching up, a first start over the retained topics, webhooks Meta retried for days) arrives within one
 * settle delay, and its measurements wait for the delay as live ones do. The caps ({@code max-timeline-entries},
 * {@link Conversation#MAX_WINDOWS}) bound the state whatever waits: before they forget records, the measurements
 * depending on them are emitted at once instead of after the settle delay. Customer messages the entry cap drops while
 * they wait for an answer are counted.
 */
final class TimelinePruning {

    /**
     * @param settled measurements emitted early because the caps forget the records they depend on
     * @param waitingDropped customer messages dropped for the entry cap while they waited for an answer
     */
    record Result(ConversationSettler.Settlement settled, int waitingDropped) {}

    private static final ConversationSettler.Settlement NOTHING_SETTLED =
            new ConversationSettler.Settlement(List.of(), Map.of(), null);

    private TimelinePruning() {}

    static Result prune(Conversation conversation, long now, MeasurementSettings settings) {
        Conversation.Pruning plan =
                conversation.planPrune(settings.timelineHorizon(), settings.maxTimelineEntries(), null);
        if (plan.forgetsThrough() == null) {
            // Nothing to forget (most records): spare the look at what still waits.
            return new Result(NOTHING_SETTLED, 0);
        }
        Instant pendingSince = ConversationSettler.pendingSince(conversation);
        if (pendingSince != null) {
            plan = conversation.planPrune(settings.timelineHorizon(), settings.maxTimelineEntries(), pendingSince);
        }
        ConversationSettler.Settlement settled = NOTHING_SETTLED;
        Instant forgets = plan.forgetsThrough();
        if (pendingSince != null && forgets != null && !forgets.isBefore(pendingSince)) {
            settled = ConversationSettler.settleThrough(conversation, now, settings.settleDelay(), forgets);
        }
        int waitingDropped = conversation.prune(plan, settings.maxTimelineEntries());
        return new Result(settled, waitingDropped);
    }
}
