package io.janela.metrics.conversation;

import io.janela.avro.CloseReason;
import io.janela.avro.ResponderKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One contact's recent conversation with one business number, in Meta's event time: the customer messages that wait
 * for an answer, the business messages, the windows the window-service reported, and the response times already
 * emitted. Lists stay sorted by event time whatever order records arrive in, so that measurements derived from them
 * do not depend on arrival order.
 *
 * <p>It is bounded: {@link #prune} drops what lies more than a horizon before the latest event, never cutting a
 * response in two nor what a measurement still waiting to be emitted needs, and keeps at most a given number of
 * entries. Records older than what was pruned can no longer be placed and are refused as
 * {@link Applied#BEYOND_HORIZON}.
 *
 * <p>Mutable; used by one stream thread within one record's processing.
 */
final class Conversation {

    private static final Comparator<CustomerMessage> CUSTOMER_ORDER =
            Comparator.comparing(CustomerMessage::at).thenComparing(CustomerMessage::messageId);
    private static final Comparator<BusinessMessage> BUSINESS_ORDER =
            Comparator.comparing(BusinessMessage::at).thenComparing(BusinessMessage::messageId);
    /** Resolutions kept at most (the oldest emitted ones go first). */
    static final int MAX_RESOLUTIONS = 16;
    /** Windows kept at most; a window whose CLOSED event never came must not stay forever. */
    static final int MAX_WINDOWS = 16;
    /** Meta's customer service window (WHATSAPP.md §1.1), for a window whose length nothing here shows. */
    static final Duration META_WINDOW_LENGTH = Duration.ofHours(24);

    /** Survey answers remembered at most (each one is forgotten with the timeline before it anyway). */
    static final int MAX_SURVEY_ANSWERS = 16;

    /**
     * Late acts remembered at most. Those a window already holds go first: they can no longer make a window of their
     * own.
     */
    static final int MAX_LATE_ACTS = 64;

    private static final Comparator<LateAct> LATE_ORDER = Comparator.comparing(LateAct::at)
            .thenComparing(act -> String.valueOf(act.opening().openingMessageId()));

    /** What became of a record applied to the conversation. */
    enum Applied {
        ADDED,
        DUPLICATE,
        BEYOND_HORIZON,
        /** A customer message known as a satisfaction survey answer: it waits for nothing. */
        SURVEY_ANSWER
    }

    /**
     * What became of a late act ({@link #lateAct}).
     *
     * @param forgottenOverCap late acts that {@link #MAX_LATE_ACTS} forgot before a measured window held them (the act
     *     itself among them when it is the oldest): the retroactive windows derived from the rest may open later, or
     *     not at all
     * @param inNoWindow the act was added but lies in no window: it came within a day before a retroactive window that
     *     was already measured, whose opening it would have moved earlier; that window stands
     */
    record LateApplied(Applied applied, int forgottenOverCap, boolean inNoWindow) {

        static LateApplied of(Applied applied) {
            return new LateApplied(applied, 0, false);
        }
    }

    private final String phoneNumberId;
    private final String contactId;
    private final List<CustomerMessage> customers;
    private final List<BusinessMessage> business;
    private final List<Window> windows;
    private final List<EmittedResponse> responses;
    private Instant prunedUntil;
    private List<String> slaNotices = List.of();
    private final List<CustomerMessage> surveyAnswers = new ArrayList<>();
    private final List<LateAct> lateActs = new ArrayList<>();
    private List<Resolution> resolutions = List.of();

    Conversation(
            String phoneNumberId,
            String contactId,
            List<CustomerMessage> customers,
            List<BusinessMessage> business,
            List<Window> windows,
            List<EmittedResponse> responses,
            Instant prunedUntil) {
        this.phoneNumberId = Objects.requireNonNull(phoneNumberId, "phoneNumberId");
        this.contactId = Objects.requireNonNull(contactId, "contactId");
        this.customers = new ArrayList<>(customers);
        this.business = new ArrayList<>(business);
        this.windows = new ArrayList<>(windows);
        this.responses = new ArrayList<>(responses);
        this.prunedUntil = prunedUntil;
        this.customers.sort(CUSTOMER_ORDER);
        this.business.sort(BUSINESS_ORDER);
        this.windows.sort(Comparator.comparing(Window::openedAt));
    }

    static Conversation empty(String phoneNumberId, String contactId) {
        return new Conversation(phoneNumberId, contactId, List.of(), List.of(), List.of(), List.of(), null);
    }

    String phoneNumberId() {
        return phoneNumberId;
    }

    String contactId() {
        return contactId;
    }

    String contactKey() {
        return phoneNumberId + ':' + contactId;
    }

    List<CustomerMessage> customers() {
        return customers;
    }

    List<BusinessMessage> business() {
        return business;
    }

    List<Window> windows() {
        return windows;
    }

    List<EmittedResponse> responses() {
        return responses;
    }

    /** The ids of the SLA notices sent for the current waiting period ({@link SlaWatch}). */
    List<String> slaNotices() {
        return slaNotices;
    }

    void slaNotices(List<String> ids) {
        this.slaNotices = List.copyOf(ids);
    }

    /** The resolutions reported for the contact, oldest first ({@link Reopens}). */
    List<Resolution> resolutions() {
        return resolutions;
    }

    void resolutions(List<Resolution> kept) {
        List<Resolution> sorted = new ArrayList<>(kept);
        sorted.sort(Comparator.comparing(Resolution::resolvedAt));
        this.resolutions = List.copyOf(sorted);
    }

    /**
     * A company system resolved the conversation. A repeated record (same id, or same time without one) is a
     * duplicate. Beyond {@link #MAX_RESOLUTIONS} the oldest emitted one is forgotten, else the oldest.
     */
    Applied addResolution(Resolution resolution) {
        if (beyondHorizon(resolution.resolvedAt())) {
            return Applied.BEYOND_HORIZON;
        }
        if (resolutions.stream().anyMatch(known -> known.sameAs(resolution))) {
            return Applied.DUPLICATE;
        }
        List<Resolution> updated = new ArrayList<>(resolutions);
        updated.add(resolution);
        if (updated.size() > MAX_RESOLUTIONS) {
            Resolution dropped = updated.stream()
                    .filter(Resolution::emitted)
                    .min(Comparator.comparing(Resolution::resolvedAt))
                    .orElseGet(() -> updated.stream()
                            .min(Comparator.comparing(Resolution::resolvedAt))
                            .orElseThrow());
            updated.remove(dropped);
        }
        resolutions(updated);
        return Applied.ADDED;
    }

    Instant prunedUntil() {
        return prunedUntil;
    }

    /** The customer messages known as survey answers, by time. */
    List<CustomerMessage> surveyAnswers() {
        return surveyAnswers;
    }

    void surveyAnswers(List<CustomerMessage> answers) {
        surveyAnswers.clear();
        surveyAnswers.addAll(answers);
        surveyAnswers.sort(CUSTOMER_ORDER);
    }

    /**
     * A customer message is the answer to a satisfaction survey: survey-service recognised it (a free-text "5" as much
     * as a tap), or it is a tap on a survey ({@link CustomerMessageKinds#isSurveyTap}). It refreshes the window (the
     * window-service counts it, as Meta does) but waits for no answer, so it leaves the timeline, or is refused when it
     * comes after this; a window it opened is no conversation ({@link #openedBySurveyAnswer}). An answer that comes
     * after a response measured from it was emitted cannot take that back (the settler counts it late).
     */
    Applied surveyAnswered(CustomerMessage answer) {
        if (beyondHorizon(answer.at())) {
            return Applied.BEYOND_HORIZON;
        }
        if (isSurveyAnswer(answer.messageId())) {
            // Known from the tap itself or from survey-service's event: both name the same message.
            return Applied.SURVEY_ANSWER;
        }
        insertSorted(surveyAnswers, answer, CUSTOMER_ORDER);
        while (surveyAnswers.size() > MAX_SURVEY_ANSWERS) {
            surveyAnswers.removeFirst();
        }
        customers.removeIf(message -> message.messageId().equals(answer.messageId()));
        return Applied.ADDED;
    }

    /**
     * Whether a satisfaction survey answer opened the window (DESIGN.md §4: a survey answer is a customer message for
     * the window, never a new conversation): its opening message is a known survey answer; for a window whose OPENED
     * event was not seen, a survey answer at its opening time and no other customer message then.
     */
    boolean openedBySurveyAnswer(Window window) {
        if (window.opening() != null) {
            String opening = window.opening().openingMessageId();
            return opening != null && isSurveyAnswer(opening);
        }
        for (CustomerMessage message : customers) {
            if (message.at().equals(window.openedAt())) {
                return false;
            }
        }
        for (CustomerMessage answer : surveyAnswers) {
            if (answer.at().equals(window.openedAt())) {
                return true;
            }
        }
        return false;
    }

    private boolean isSurveyAnswer(String messageId) {
        for (CustomerMessage answer : surveyAnswers) {
            if (answer.messageId().equals(messageId)) {
                return true;
            }
        }
        return false;
    }

    /** The acts the window-service reported as LATE, by time ({@link #lateAct}). */
    List<LateAct> lateActs() {
        return lateActs;
    }

    /** Restores the late acts as stored, next to the windows already derived from them. */
    void lateActs(List<LateAct> acts) {
        lateActs.clear();
        lateActs.addAll(acts);
        lateActs.sort(LATE_ORDER);
    }

    /**
     * The window-service reported a qualifying customer act as LATE: it came after the window it would have opened was
     * over (an outage longer than a window), so no window opened and none will be reported. So that the conversation
     * it began still counts, this conversation derives a <b>retroactive window</b> from such acts, as the window-service
     * would have: from the earliest act to the latest expiry of the acts that each came before the expiry so far. An
     * act inside a window known here, or whose span reaches the opening of one (that window continues its
     * conversation), makes none. Retroactive windows are derived again on every change until a measurement of theirs
     * is emitted (the settle delay orders a backlog as for any window); from then on they stand like reported ones,
     * and an act that would have moved one's opening earlier lies in no window ({@link LateApplied#inNoWindow()}).
     * A repeated act (same time and id) is a duplicate. Beyond {@link #MAX_LATE_ACTS} the acts a measured window holds
     * go first, then the oldest ({@link LateApplied#forgottenOverCap()}).
     */
    LateApplied lateAct(LateAct act) {
        if (beyondHorizon(act.at())) {
            return LateApplied.of(Applied.BEYOND_HORIZON);
        }
        if (lateActs.stream().anyMatch(known -> known.sameAs(act))) {
            return LateApplied.of(Applied.DUPLICATE);
        }
        insertSorted(lateActs, act, LATE_ORDER);
        int forgotten = 0;
        if (lateActs.size() > MAX_LATE_ACTS) {
            List<Window> fixed = windows.stream().filter(Window::fixed).toList();
            lateActs.removeIf(known -> lateActs.size() > MAX_LATE_ACTS && LateWindows.covered(this, fixed, known));
            while (lateActs.size() > MAX_LATE_ACTS) {
                lateActs.removeFirst();
                forgotten++;
            }
        }
        deriveLateWindows();
        // An act the cap forgot at once is counted once, as forgotten.
        return new LateApplied(Applied.ADDED, forgotten, lateActs.contains(act) && inNoWindow(act));
    }

    /**
     * A late act no window holds: only a measured retroactive window after it, within its day, keeps it from making a
     * window of its own (every other act is inside a window, or before a reported one that continues its conversation).
     */
    private boolean inNoWindow(LateAct act) {
        boolean beforeMeasured = false;
        for (Window window : windows) {
            if (LateWindows.covered(this, List.of(window), act)) {
                if (!window.late() || !window.fixed() || !act.at().isBefore(window.openedAt())) {
                    return false;
                }
                beforeMeasured = true;
            }
        }
        return beforeMeasured;
    }

    /** Puts the retroactive windows not yet measured back from the late acts (see {@link #lateAct}). */
    private void deriveLateWindows() {
        windows.removeIf(window -> !window.fixed());
        if (!lateActs.isEmpty()) {
            LateWindows.derive(this);
        }
    }

    Applied addCustomerMessage(CustomerMessage message) {
        if (beyondHorizon(message.at())) {
            return Applied.BEYOND_HORIZON;
        }
        if (customers.stream().anyMatch(known -> known.messageId().equals(message.messageId()))) {
            return Applied.DUPLICATE;
        }
        if (isSurveyAnswer(message.messageId())) {
            return Applied.SURVEY_ANSWER;
        }
        insertSorted(customers, message, CUSTOMER_ORDER);
        return Applied.ADDED;
    }

    Applied addBusinessMessage(BusinessMessage message) {
        if (beyondHorizon(message.at())) {
            return Applied.BEYOND_HORIZON;
        }
        for (int i = 0; i < business.size(); i++) {
            BusinessMessage known = business.get(i);
            if (known.messageId().equals(message.messageId())) {
                if (!identifiesResponder(known, message)) {
                    return Applied.DUPLICATE;
                }
                business.remove(i);
                insertSorted(business, message, BUSINESS_ORDER);
                return Applied.ADDED;
            }
        }
        insertSorted(business, message, BUSINESS_ORDER);
        return Applied.ADDED;
    }

    /**
     * A message first seen through a status webhook only ({@code OUTSIDE_JANELA}: no Janela request) that then comes
     * as a Business-app echo was sent from the app: the echo names its responder, whichever came first. Likewise a
     * message of Janela's whose dispatch result the message step did not see in time ({@code UNKNOWN}, at its sent
     * status's time) takes the responder, time, team and agent of its result when that comes.
     */
    private static boolean identifiesResponder(BusinessMessage known, BusinessMessage message) {
        return (known.responderKind() == ResponderKind.OUTSIDE_JANELA && message.responderKind() == ResponderKind.APP)
                || (known.responderKind() == ResponderKind.UNKNOWN
                        && message.responderKind() != ResponderKind.UNKNOWN
                        && message.responderKind() != ResponderKind.OUTSIDE_JANELA);
    }

    /**
     * The window-service reported a window opening; a repeated OPENED event for the same window is a duplicate. The
     * OPENED event's expiry is the window's expiry at its opening: it replaces the one derived from a CLOSED event
     * that came first.
     */
    Applied windowOpened(Instant openedAt, Instant expiresAt, Window.Opening opening) {
        windows.removeIf(window -> !window.fixed());
        Applied applied = reportedOpening(openedAt, expiresAt, opening);
        deriveLateWindows();
        return applied;
    }

    private Applied reportedOpening(Instant openedAt, Instant expiresAt, Window.Opening opening) {
        int index = windowIndex(openedAt);
        if (index >= 0) {
            Window known = windows.get(index);
            if (known.opening() != null) {
                return Applied.DUPLICATE;
            }
            windows.set(index, known.withOpening(opening, expiresAt));
            return Applied.ADDED;
        }
        if (beyondHorizon(openedAt)) {
            return Applied.BEYOND_HORIZON;
        }
        insertWindow(new Window(openedAt, expiresAt, opening, null, Window.Emitted.NOTHING, false));
        return Applied.ADDED;
    }

    /**
     * The window-service reported a window closing; the OPENED event may not have been seen. The CLOSED event of a
     * window that expired carries its final expiry ({@code expiresAt}: its last qualifying customer message, {@code
     * lastInboundAt}, plus the window's length), not the expiry at its opening, which the headroom of its first
     * response starts from; one Meta closed carries Meta's close time there, so its opening expiry comes from the
     * window length (see {@link #knownWindowLength()}).
     *
     * @param lastInboundAt the CLOSED event's latest qualifying customer message; null when it names none
     */
    Applied windowClosed(Instant openedAt, Instant expiresAt, Instant lastInboundAt, Window.Closing closing) {
        windows.removeIf(window -> !window.fixed());
        Applied applied = reportedClosing(openedAt, expiresAt, lastInboundAt, closing);
        deriveLateWindows();
        return applied;
    }

    private Applied reportedClosing(
            Instant openedAt, Instant expiresAt, Instant lastInboundAt, Window.Closing closing) {
        int index = windowIndex(openedAt);
        if (index >= 0) {
            Window known = windows.get(index);
            if (known.closing() != null) {
                return Applied.DUPLICATE;
            }
            windows.set(index, known.withClosing(closing));
            return Applied.ADDED;
        }
        if (beyondHorizon(openedAt)) {
            return Applied.BEYOND_HORIZON;
        }
        Instant openingExpiry = closing.reason() == CloseReason.EXPIRED
                ? openingExpiry(openedAt, expiresAt, lastInboundAt)
                : openedAt.plus(knownWindowLength());
        insertWindow(new Window(openedAt, openingExpiry, null, closing, Window.Emitted.NOTHING, false));
        return Applied.ADDED;
    }

    /**
     * The expiry a window had at its opening, from its final expiry: every qualifying customer message pushes the
     * expiry to its time plus the window's length (DESIGN.md §4), so the final expiry minus the last such message is
     * the length, and the opening message's time plus the length the first expiry. The last message is the CLOSED
     * event's {@code lastInboundAt}, else the latest customer message of the window this conversation holds; with
     * neither, the final expiry is all that is known.
     */
    private Instant openingExpiry(Instant openedAt, Instant finalExpiry, Instant lastInboundAt) {
        Instant last = lastInboundAt;
        if (last == null || last.isBefore(openedAt) || !last.isBefore(finalExpiry)) {
            last = null;
            for (CustomerMessage message : customers) {
                if (!message.at().isBefore(openedAt) && message.at().isBefore(finalExpiry)) {
                    last = message.at();
                }
            }
        }
        if (last == null) {
            return finalExpiry;
        }
        return openedAt.plus(Duration.between(last, finalExpiry));
    }

    /**
     * The window length as this contact's windows seen opening show it (the window-service's setting), else Meta's 24
     * hours. A window closed by Meta reports Meta's close as its expiry, which says nothing of its length.
     */
    private Duration knownWindowLength() {
        for (Window window : windows) {
            if (window.opening() != null && !window.late()) {
                return window.length();
            }
        }
        return META_WINDOW_LENGTH;
    }

    void replaceWindow(Window window) {
        windows.set(windowIndex(window.openedAt()), window);
    }

    void replaceResponse(EmittedResponse previous, EmittedResponse next) {
        responses.set(responses.indexOf(previous), next);
    }

    void addResponse(EmittedResponse response) {
        responses.add(response);
    }

    /** The latest event time this conversation knows, or null when it knows none. */
    Instant latestEventAt() {
        Instant latest = null;
        if (!customers.isEmpty()) {
            latest = customers.getLast().at();
        }
        if (!business.isEmpty()) {
            latest = max(latest, business.getLast().at());
        }
        for (Window window : windows) {
            // A retroactive window's close is derived, an expiry no record reported: its acts are what happened.
            latest = max(
                    latest,
                    window.closing() == null || window.late()
                            ? window.openedAt()
                            : window.closing().closedAt());
        }
        for (LateAct act : lateActs) {
            latest = max(latest, act.at());
        }
        return latest;
    }

    /**
     * What {@link #prune(Pruning, int)} will forget, planned before anything goes so that the measurements depending
     * on it can be emitted first ({@link TimelinePruning}).
     *
     * @param boundary the business message to cut at (customer messages at or before it go, business messages
     *     before it), or null
     * @param forgetsThrough the latest event time at or before which records go, or null when none does
     */
    record Pruning(BusinessMessage boundary, Instant forgetsThrough) {

        static final Pruning NOTHING = new Pruning(null, null);
    }

    /**
     * Plans to forget what lies more than {@code horizon} before the latest event, and to keep at most
     * {@code maxEntries} customer and business messages and {@link #MAX_WINDOWS} windows. It cuts at a business
     * message, so that the customer messages it answered go with it and every response that stays keeps all its
     * customer messages.
     *
     * <p>The horizon never cuts at or after {@code pendingSince} (ConversationSettler#pendingSince): a backlog that
     * spans more than the horizon arrives within one settle delay, and its measurements wait for that delay like any
     * other. The caps bound the state whatever waits: what they forget is in {@link Pruning#forgetsThrough()}.
     */
    Pruning planPrune(Duration horizon, int maxEntries, Instant pendingSince) {
        Instant latest = latestEventAt();
        if (latest == null) {
            return Pruning.NOTHING;
        }
        Instant cut = latest.minus(horizon);
        BusinessMessage boundary = null;
        for (BusinessMessage message : business) {
            if (message.at().isBefore(cut)
                    && (pendingSince == null || message.at().isBefore(pendingSince))) {
                boundary = message;
            }
        }
        int excess = customers.size() + business.size() - maxEntries;
        if (excess > 0 && !business.isEmpty()) {
            // Over the cap: cut at a later business message, as early as the excess allows.
            int dropped = 0;
            for (BusinessMessage message : business) {
                if (boundary == null || message.at().isAfter(boundary.at())) {
                    dropped = countAtOrBefore(message.at());
                    boundary = message;
                    if (dropped >= excess) {
                        break;
                    }
                }
            }
        }
        Instant forgets = boundary == null ? null : boundary.at();
        Instant until = forgets;
        List<CustomerMessage> kept = until == null
                ? customers
                : customers.stream()
                        .filter(message -> message.at().isAfter(until))
                        .toList();
        if (kept.size() > maxEntries) {
            forgets = max(forgets, kept.get(kept.size() - maxEntries - 1).at());
        }
        if (windows.size() > MAX_WINDOWS) {
            // At most the windows before the oldest of the last MAX_WINDOWS go: everything strictly before it.
            forgets = max(
                    forgets,
                    windows.get(windows.size() - MAX_WINDOWS).openedAt().minusNanos(1));
        }
        return new Pruning(boundary, forgets);
    }

    /**
     * Forgets what {@code plan} says; windows go once closed before the cut and fully emitted, or beyond
     * {@link #MAX_WINDOWS}. Records that would land at or before what went are refused from then on.
     *
     * @return how many customer messages went for the cap alone, while they still waited for an answer
     */
    int prune(Pruning plan, int maxEntries) {
        BusinessMessage boundary = plan.boundary();
        if (boundary != null) {
            Instant until = boundary.at();
            customers.removeIf(message -> !message.at().isAfter(until));
            business.removeIf(message -> message.at().isBefore(until));
            responses.removeIf(response -> response.to().isBefore(until));
            surveyAnswers.removeIf(answer -> !answer.at().isAfter(until));
            List<Window> gone = windows.stream()
                    .filter(window -> window.closing() != null
                            && window.closing().closedAt().isBefore(until)
                            && fullyEmitted(window))
                    .toList();
            windows.removeAll(gone);
            prunedUntil = max(prunedUntil, until);
            forgetLateActs(gone);
        }
        while (windows.size() > MAX_WINDOWS) {
            // Its measurements were emitted first; refusing its events from now on keeps them from being derived twice,
            // and refusing what lies inside it keeps a late act Meta redelivers there from making a window of its own.
            Window gone = windows.removeFirst();
            prunedUntil = max(prunedUntil, forgottenThrough(gone, windows.getFirst()));
            forgetLateActs(List.of(gone));
        }
        int waitingDropped = 0;
        while (customers.size() > maxEntries) {
            // Only customer messages and never an answer: the oldest waiting message goes, and its answer's response
            // time will run from the next one.
            prunedUntil = max(prunedUntil, customers.removeFirst().at());
            waitingDropped++;
        }
        forgetLateActs(List.of());
        return waitingDropped;
    }

    /**
     * Forgets the late acts that forgotten windows held, and those before the cut: once a window that held an act is
     * gone, the act must not make a retroactive window of its own.
     */
    private void forgetLateActs(List<Window> gone) {
        if (lateActs.isEmpty()) {
            return;
        }
        lateActs.removeIf(
                act -> (prunedUntil != null && !act.at().isAfter(prunedUntil)) || LateWindows.covered(this, gone, act));
    }

    /**
     * Through when a window the cap forgets takes the timeline with it: its close when known, never at or past the
     * opening of the oldest window kept (what the cap plans to forget, {@link #planPrune}); else its opening.
     */
    private static Instant forgottenThrough(Window gone, Window oldestKept) {
        if (gone.closing() == null) {
            return gone.openedAt();
        }
        Instant before = oldestKept.openedAt().minusNanos(1);
        Instant end =
                gone.closing().closedAt().isBefore(before) ? gone.closing().closedAt() : before;
        return max(gone.openedAt(), end);
    }

    private int countAtOrBefore(Instant at) {
        int count = 0;
        for (CustomerMessage message : customers) {
            if (!message.at().isAfter(at)) {
                count++;
            }
        }
        for (BusinessMessage message : business) {
            if (message.at().isBefore(at)) {
                count++;
            }
        }
        return count;
    }

    private static boolean fullyEmitted(Window window) {
        return window.emitted().closed()
                && (window.opening() == null || window.emitted().opened());
    }

    private boolean beyondHorizon(Instant at) {
        return prunedUntil != null && !at.isAfter(prunedUntil);
    }

    int windowIndex(Instant openedAt) {
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).openedAt().equals(openedAt)) {
                return i;
            }
        }
        return -1;
    }

    void insertWindow(Window window) {
        insertSorted(windows, window, Comparator.comparing(Window::openedAt));
    }

    private static <T> void insertSorted(List<T> list, T element, Comparator<? super T> order) {
        int position = list.size();
        while (position > 0 && order.compare(list.get(position - 1), element) > 0) {
            position--;
        }
        list.add(position, element);
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
