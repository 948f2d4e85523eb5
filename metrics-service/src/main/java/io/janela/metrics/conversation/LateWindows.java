package io.janela.metrics.conversation;

import io.janela.avro.CloseReason;
import java.time.Instant;
import java.util.List;

/**
 * Retroactive windows: the windows the window-service would have opened for the acts it reported as LATE (DESIGN.md
 * §4's rules in Meta's time: a window opens at an act, every act before its expiry so far keeps it open to that act's
 * expiry). Derived from a conversation's late acts and the windows it holds that are fixed (reported by the
 * window-service, or retroactive with a measurement emitted): an act inside one of those, or whose day reaches the
 * opening of one (that window continues its conversation), makes none.
 */
final class LateWindows {

    private LateWindows() {}

    /** Adds the retroactive windows of the conversation's late acts; its windows hold only fixed ones when called. */
    static void derive(Conversation conversation) {
        List<Window> fixed = List.copyOf(conversation.windows());
        LateAct first = null;
        Instant end = null;
        long arrivedAt = 0;
        for (LateAct act : conversation.lateActs()) {
            if (covered(conversation, fixed, act)) {
                continue;
            }
            if (first != null && act.at().isBefore(end)) {
                end = end.isAfter(act.expiresAt()) ? end : act.expiresAt();
                arrivedAt = Math.max(arrivedAt, act.opening().arrivedAt());
                continue;
            }
            if (first != null) {
                insert(conversation, first, end, arrivedAt);
            }
            first = act;
            end = act.expiresAt();
            arrivedAt = act.opening().arrivedAt();
        }
        if (first != null) {
            insert(conversation, first, end, arrivedAt);
        }
    }

    /** An act inside one of {@code known}, or whose day reaches the opening of one. */
    static boolean covered(Conversation conversation, List<Window> known, LateAct act) {
        for (Window window : known) {
            if (act.at().isBefore(window.openedAt())) {
                if (window.openedAt().isBefore(act.expiresAt())) {
                    return true;
                }
            } else if (act.at().isBefore(end(conversation, window, act.at()))) {
                return true;
            }
        }
        return false;
    }

    private static Instant end(Conversation conversation, Window window, Instant at) {
        return window.closing() != null
                ? window.closing().closedAt()
                : ConversationSettler.expiryAt(conversation, window, at);
    }

    /**
     * A retroactive window: opened by its first act, over (expired) at the latest expiry, measured a settle delay after
     * its last act arrived.
     */
    private static void insert(Conversation conversation, LateAct first, Instant end, long arrivedAt) {
        if (conversation.windowIndex(first.at()) >= 0) {
            return;
        }
        Window.Opening reported = first.opening();
        Window.Opening opening = new Window.Opening(
                reported.openingMessageId(),
                reported.firstContact(),
                reported.previousWindowClosedAt(),
                reported.viaReferral(),
                arrivedAt);
        Window.Closing closing = new Window.Closing(end, CloseReason.EXPIRED, false, null, arrivedAt);
        conversation.insertWindow(
                new Window(first.at(), first.expiresAt(), opening, closing, Window.Emitted.NOTHING, true));
    }
}
