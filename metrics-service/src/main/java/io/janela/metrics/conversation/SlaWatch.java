package io.janela.metrics.conversation;

import io.janela.avro.SlaClock;
import io.janela.avro.SlaEvent;
import io.janela.avro.SlaEventKind;
import io.janela.avro.SlaTarget;
import io.janela.metrics.hours.Schedule;
import io.janela.metrics.sla.SlaSettings;
import io.janela.metrics.sla.SlaTargets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SLA notices of a contact who waits for an answer (topic whatsapp.sla-events), for systems that route work:
 *
 * <ul>
 *   <li><b>AT_RISK</b> once the contact has waited {@code atRiskShare} of its target, <b>BREACHED</b> once it waited
 *       the whole target. The target is the first-response one while the window has had no business message, else
 *       the next-response one; the team is the one the contact's latest business message named. A target in business
 *       time is reached in the number's schedule in force when the wait began;
 *   <li><b>WINDOW_CLOSING_WAITING</b> when the window-service says the window closes soon (CLOSING_SOON), or closed,
 *       while the contact waits.
 * </ul>
 *
 * Each notice is sent at most once per waiting period (its {@code eventId} is {@code
 * {contactKey}:{kind}:{target}:{waitingSince ms}}); an answer ends the period. A notice's {@code occurredAt} is the
 * event time the condition became true, so a replay gives the same record. The wall clock decides when a threshold has
 * passed: the deadlines ride on the conversation's settle check. A contact whose threshold already passed when its
 * messages arrived (a backlog) gets BREACHED alone, not AT_RISK as well; a wait whose window has closed gets neither
 * (WINDOW_CLOSING_WAITING told it, and a first start over retained topics must not flood the desk with old waits).
 */
final class SlaWatch {

    private static final int SEARCH_DAYS = 366;

    /** Notices due now, and when the next one falls due (wall-clock ms; null: none). */
    record Notices(List<SlaEvent> events, List<String> emitted, Long nextCheckAt) {}

    /** The wait in progress: since when, measured from when, against which target. */
    private record Waiting(Instant waitingSince, Instant from, SlaTargets.Kind kind, String team, Window window) {}

    private SlaWatch() {}

    /** The AT_RISK and BREACHED notices that are due at {@code now}; {@code emitted} holds those already sent. */
    static Notices due(Conversation conversation, List<String> emitted, long now, SlaSettings sla) {
        Waiting waiting = waiting(conversation);
        if (waiting == null) {
            return new Notices(List.of(), List.of(), null);
        }
        List<String> kept = current(emitted, waiting);
        SlaTargets.Target target = sla.targets().targetFor(conversation.phoneNumberId(), waiting.team());
        Duration length = target == null ? null : target.of(waiting.kind());
        if (length == null || closed(waiting)) {
            return new Notices(List.of(), kept, null);
        }
        Instant atRiskAt = reached(conversation, target, waiting.from(), scaled(length, sla.atRiskShare()), sla);
        Instant dueAt = reached(conversation, target, waiting.from(), length, sla);
        List<SlaEvent> events = new ArrayList<>();
        Long next = null;
        if (dueAt != null && now >= dueAt.toEpochMilli()) {
            String atRiskId = id(conversation, SlaEventKind.AT_RISK, waiting);
            if (!kept.contains(atRiskId)) {
                kept.add(atRiskId); // past the target already: the breach says it all
            }
            emit(conversation, SlaEventKind.BREACHED, waiting, target, dueAt, dueAt, kept, events, sla);
        } else if (atRiskAt != null && now >= atRiskAt.toEpochMilli()) {
            emit(conversation, SlaEventKind.AT_RISK, waiting, target, atRiskAt, dueAt, kept, events, sla);
            next = dueAt == null ? null : dueAt.toEpochMilli();
        } else if (atRiskAt != null) {
            next = atRiskAt.toEpochMilli();
        }
        return new Notices(events, kept, next);
    }

    /**
     * A WINDOW_CLOSING_WAITING notice when the contact waits as the window closes (soon), unless one was sent for this
     * waiting period.
     */
    static Notices windowClosing(
            Conversation conversation, List<String> emitted, Instant occurredAt, Instant windowExpiresAt) {
        Waiting waiting = waiting(conversation);
        if (waiting == null) {
            return new Notices(List.of(), List.copyOf(emitted), null);
        }
        List<String> kept = current(emitted, waiting);
        String id = id(conversation, SlaEventKind.WINDOW_CLOSING_WAITING, waiting);
        if (kept.contains(id)) {
            return new Notices(List.of(), kept, null);
        }
        kept.add(id);
        SlaEvent event = base(conversation, id, SlaEventKind.WINDOW_CLOSING_WAITING, waiting)
                .setClock(SlaClock.CALENDAR)
                .setWaitedSeconds(seconds(waiting.waitingSince(), occurredAt))
                .setWindowExpiresAt(windowExpiresAt)
                .setOccurredAt(occurredAt)
                .build();
        return new Notices(List.of(event), kept, null);
    }

    /**
     * The contact waits when customer messages came after the latest business message (one at the same moment as a
     * business message counts as answered, as for response times).
     */
    private static Waiting waiting(Conversation conversation) {
        BusinessMessage last = conversation.business().isEmpty()
                ? null
                : conversation.business().getLast();
        CustomerMessage first = null;
        for (CustomerMessage message : conversation.customers()) {
            if (last == null || message.at().isAfter(last.at())) {
                first = message;
                break;
            }
        }
        if (first == null) {
            return null;
        }
        Window window = ConversationSettler.windowAt(conversation, first.at());
        String team = last == null ? null : last.team();
        if (window != null && (last == null || last.at().isBefore(window.openedAt()))) {
            return new Waiting(first.at(), window.openedAt(), SlaTargets.Kind.FIRST_RESPONSE, team, window);
        }
        return new Waiting(first.at(), first.at(), SlaTargets.Kind.NEXT_RESPONSE, team, window);
    }

    private static boolean closed(Waiting waiting) {
        return waiting.window() != null && waiting.window().closing() != null;
    }

    private static void emit(
            Conversation conversation,
            SlaEventKind kind,
            Waiting waiting,
            SlaTargets.Target target,
            Instant occurredAt,
            Instant dueAt,
            List<String> kept,
            List<SlaEvent> events,
            SlaSettings sla) {
        String id = id(conversation, kind, waiting);
        if (kept.contains(id)) {
            return;
        }
        kept.add(id);
        boolean business = target.clock() == SlaTargets.Clock.BUSINESS;
        long waited = business
                ? sla.schedules()
                        .businessTime(conversation.phoneNumberId(), waiting.from(), occurredAt)
                        .toSeconds()
                : seconds(waiting.from(), occurredAt);
        events.add(base(conversation, id, kind, waiting)
                .setTarget(
                        waiting.kind() == SlaTargets.Kind.FIRST_RESPONSE
                                ? SlaTarget.FIRST_RESPONSE
                                : SlaTarget.NEXT_RESPONSE)
                .setClock(business ? SlaClock.BUSINESS : SlaClock.CALENDAR)
                .setTargetSeconds(target.of(waiting.kind()).toSeconds())
                .setWaitedSeconds(waited)
                .setDueAt(dueAt)
                .setOccurredAt(occurredAt)
                .build());
    }

    private static SlaEvent.Builder base(Conversation conversation, String id, SlaEventKind kind, Waiting waiting) {
        return SlaEvent.newBuilder()
                .setEventId(id)
                .setKind(kind)
                .setPhoneNumberId(conversation.phoneNumberId())
                .setContactId(conversation.contactId())
                .setTeam(waiting.team())
                .setWaitingSince(waiting.waitingSince())
                .setWindowExpiresAt(
                        waiting.window() == null
                                ? null
                                : ConversationSettler.expiryAt(conversation, waiting.window(), waiting.waitingSince()));
    }

    /** When {@code amount} of the target's clock has passed since {@code from}; null: not within a year. */
    private static Instant reached(
            Conversation conversation, SlaTargets.Target target, Instant from, Duration amount, SlaSettings sla) {
        if (target.clock() == SlaTargets.Clock.CALENDAR) {
            return from.plus(amount);
        }
        Schedule schedule = sla.schedules().inForceAt(conversation.phoneNumberId(), from);
        return schedule == null ? from.plus(amount) : schedule.after(from, amount, SEARCH_DAYS);
    }

    /** The notices already sent for this waiting period (those of earlier periods are forgotten). */
    private static List<String> current(List<String> emitted, Waiting waiting) {
        String suffix = ":" + waiting.waitingSince().toEpochMilli();
        List<String> kept = new ArrayList<>();
        for (String id : emitted) {
            if (id.endsWith(suffix)) {
                kept.add(id);
            }
        }
        return kept;
    }

    private static String id(Conversation conversation, SlaEventKind kind, Waiting waiting) {
        String target = kind == SlaEventKind.WINDOW_CLOSING_WAITING
                ? "none"
                : waiting.kind().label();
        return conversation.contactKey()
                + ':'
                + kind
                + ':'
                + target
                + ':'
                + waiting.waitingSince().toEpochMilli();
    }

    private static Duration scaled(Duration length, double share) {
        return Duration.ofMillis(Math.round(length.toMillis() * share));
    }

    private static long seconds(Instant from, Instant to) {
        return Math.max(0, to.getEpochSecond() - from.getEpochSecond());
    }
}
