package io.janela.metrics.conversation;

import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import io.janela.metrics.streams.LateMeasurement;
import io.janela.metrics.streams.SettlingPass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * Derives a conversation's measurements from its timeline and emits each once (DESIGN.md §4, Metrics):
 *
 * <ul>
 *   <li><b>response time</b>: a business message answers the customer messages since the previous business message
 *       (a customer message at the same second as a business message counts as before it); if there are any, the
 *       response time runs from the first of them to the business message;
 *   <li><b>first response</b>: the first business message inside a window (from its opening message, before it closed
 *       or, while no CLOSED event came, before it would have expired), with the <b>headroom</b> the window still had:
 *       the expiry known at that moment (latest customer message before it plus the window's length) minus its time;
 *   <li><b>window opened</b> (first-time or returning contact, from the OPENED event);
 *   <li><b>window closed</b>: replied when a business message fell inside it; the customer was waiting when customer
 *       messages followed the window's last business message (or there was none).
 * </ul>
 *
 * <p>A window a satisfaction survey answer opened ({@link Conversation#openedBySurveyAnswer}) is no conversation the
 * customer started: its opening is marked so ({@code openedBySurveyAnswer}: neither a first-time nor a returning
 * contact's window), no first response runs from the answer, and its closing is marked {@code surveyAnswerOnly}
 * (out of the response rate) unless a customer message that waits for an answer came in it.
 *
 * <p>Everything is derived from event time, so records that arrive out of order give the same measurements as in
 * order, provided they arrive before the measurement is emitted. A measurement is emitted once {@code settleDelay} of
 * processing time has passed since the last record it depends on arrived, or at once when the timeline's caps are
 * about to forget those records ({@link TimelinePruning}). A record arriving later that would change an emitted
 * measurement cannot take it back (a Prometheus histogram cannot forget an observation): the emitted one stands, and
 * the change is counted as late, once per measurement and change.
 */
final class ConversationSettler {

    /**
     * The outcome of one settling pass.
     *
     * @param measurements to emit, in a stable order: windows opened, response times, first responses, windows closed
     * @param late measurements that a late record would have changed, by kind
     * @param nextCheckAt processing time at which pending measurements settle; null when none is pending
     */
    record Settlement(List<SpecificRecord> measurements, Map<LateMeasurement, Integer> late, Long nextCheckAt) {}

    private ConversationSettler() {}

    /** Emits what has settled by {@code now} (processing time, ms) and records what was emitted in the conversation. */
    static Settlement settle(Conversation conversation, long now, Duration settleDelay) {
        return settle(conversation, now, settleDelay, null);
    }

    /**
     * Emits what has settled by {@code now} and, without waiting for the settle delay, every measurement that depends
     * on no record after {@code through} (event time): the timeline is about to forget those records. A record
     * arriving later that would have changed such a measurement is then counted late, as for any emitted one.
     */
    static Settlement settleThrough(Conversation conversation, long now, Duration settleDelay, Instant through) {
        return settle(conversation, now, settleDelay, through);
    }

    private static Settlement settle(Conversation conversation, long now, Duration settleDelay, Instant through) {
        Pass pass = new Pass(conversation, now, settleDelay.toMillis(), through);
        pass.windowsOpened();
        pass.responses();
        pass.firstResponses();
        pass.windowsClosed();
        return new Settlement(pass.measurements(), pass.lateCounts(), pass.nextCheckAt());
    }

    /**
     * The earliest event time that a measurement not emitted yet depends on, or null when nothing derivable waits: a
     * response time from its business message (the customer messages it answers and the business message before it
     * lie at or after the previous business message), a window's measurements from the window's opening. Pruning
     * must not cut at or after it, or the measurement would be lost or changed before it was ever emitted.
     */
    static Instant pendingSince(Conversation conversation) {
        Set<String> derived = new HashSet<>();
        conversation.responses().forEach(response -> derived.add(response.businessMessageId()));
        Instant[] since = {null};
        forEachAnswer(conversation, (answer, answered) -> {
            if (!derived.contains(answer.messageId())) {
                since[0] = earlier(since[0], answer.at());
            }
        });
        List<Window> windows = conversation.windows();
        for (int i = 0; i < windows.size(); i++) {
            Window window = windows.get(i);
            if (since[0] != null && !window.openedAt().isBefore(since[0])) {
                break;
            }
            Window.Emitted emitted = window.emitted();
            boolean waiting = (window.opening() != null && !emitted.opened())
                    || (window.closing() != null && !emitted.closed())
                    || (!emitted.firstResponse()
                            && !conversation.openedBySurveyAnswer(window)
                            && firstBusinessMessageIn(conversation, window, i) != null);
            if (waiting) {
                since[0] = window.openedAt();
            }
        }
        return since[0];
    }

    /** The window a business message at {@code at} fell in, or null. */
    static Window windowAt(Conversation conversation, Instant at) {
        Window found = null;
        List<Window> windows = conversation.windows();
        for (int i = 0; i < windows.size(); i++) {
            Window window = windows.get(i);
            if (contains(conversation, window, i, at)) {
                found = window;
            }
        }
        return found;
    }

    /**
     * When the window would expire as known at {@code at}: its opening expiry, pushed by every customer message in it
     * up to {@code at}.
     */
    static Instant expiryAt(Conversation conversation, Window window, Instant at) {
        Instant expiry = window.initialExpiresAt();
        Duration length = window.length();
        for (CustomerMessage message : conversation.customers()) {
            if (!message.at().isBefore(window.openedAt()) && !message.at().isAfter(at)) {
                Instant refreshed = message.at().plus(length);
                if (refreshed.isAfter(expiry)) {
                    expiry = refreshed;
                }
            }
        }
        return expiry;
    }

    /**
     * Each business message with the customer messages it answers: those since the previous business message (a
     * customer message at the same time as a business message counts as before it), in event-time order.
     */
    private static void forEachAnswer(
            Conversation conversation, BiConsumer<BusinessMessage, List<CustomerMessage>> action) {
        List<CustomerMessage> customers = conversation.customers();
        int next = 0;
        Instant previous = null;
        for (BusinessMessage answer : conversation.business()) {
            List<CustomerMessage> answered = new ArrayList<>();
            while (next < customers.size() && !customers.get(next).at().isAfter(answer.at())) {
                CustomerMessage message = customers.get(next++);
                if (previous == null || message.at().isAfter(previous)) {
                    answered.add(message);
                }
            }
            previous = answer.at();
            if (!answered.isEmpty()) {
                action.accept(answer, answered);
            }
        }
    }

    private static BusinessMessage firstBusinessMessageIn(Conversation conversation, Window window, int index) {
        for (BusinessMessage message : conversation.business()) {
            if (contains(conversation, window, index, message.at())) {
                return message;
            }
        }
        return null;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static boolean contains(Conversation conversation, Window window, int index, Instant at) {
        if (at.isBefore(window.openedAt())) {
            return false;
        }
        List<Window> windows = conversation.windows();
        if (index + 1 < windows.size() && !at.isBefore(windows.get(index + 1).openedAt())) {
            return false;
        }
        if (window.closing() != null) {
            return at.isBefore(window.closing().closedAt());
        }
        return at.isBefore(expiryAt(conversation, window, at));
    }

    /** One settling pass over one conversation. */
    private static final class Pass extends SettlingPass {

        private final Conversation conversation;
        private final Instant through;

        Pass(Conversation conversation, long now, long delay, Instant through) {
            super(now, delay);
            this.conversation = conversation;
            this.through = through;
        }

        /** Settled, or forced: the timeline is about to forget records it depends on, from {@code dependsFrom} on. */
        private boolean ready(long lastArrival, Instant dependsFrom) {
            return (through != null && !dependsFrom.isAfter(through)) || settled(lastArrival);
        }

        void windowsOpened() {
            Window previous = null;
            for (Window window : List.copyOf(conversation.windows())) {
                Window before = previous;
                previous = window;
                Window.Opening opening = window.opening();
                if (opening == null || window.emitted().opened() || !ready(opening.arrivedAt(), window.openedAt())) {
                    continue;
                }
                // The window-service keeps no retroactive window: after one, it calls the contact's next window a
                // first contact's, and dates the previous close before it. This conversation knows better.
                boolean firstContact = opening.firstContact();
                Instant previousClosedAt = opening.previousWindowClosedAt();
                if (before != null
                        && before.late()
                        && !before.closing().closedAt().isAfter(window.openedAt())) {
                    firstContact = false;
                    if (previousClosedAt == null || before.closing().closedAt().isAfter(previousClosedAt)) {
                        previousClosedAt = before.closing().closedAt();
                    }
                }
                emit(WindowOpenedMeasurement.newBuilder()
                        .setMeasurementId(id("window-opened", window.openedAt().toEpochMilli()))
                        .setPhoneNumberId(conversation.phoneNumberId())
                        .setContactId(conversation.contactId())
                        .setOccurredAt(window.openedAt())
                        .setOpeningMessageId(opening.openingMessageId())
                        .setFirstContact(firstContact)
                        .setPreviousWindowClosedAt(previousClosedAt)
                        .setViaReferral(opening.viaReferral())
                        .setOpenedBySurveyAnswer(conversation.openedBySurveyAnswer(window))
                        .setLate(window.late())
                        .build());
                conversation.replaceWindow(window.withEmitted(window.emitted().withOpened()));
            }
        }

        void responses() {
            forEachAnswer(conversation, this::response);
        }

        private void response(BusinessMessage answer, List<CustomerMessage> answered) {
            CustomerMessage first = answered.getFirst();
            long signature = 31L * first.at().toEpochMilli() + first.messageId().hashCode();
            EmittedResponse known = null;
            for (EmittedResponse response : conversation.responses()) {
                if (response.businessMessageId().equals(answer.messageId())) {
                    known = response;
                }
            }
            if (known != null) {
                if (known.signature() != signature) {
                    late(LateMeasurement.RESPONSE_TIME);
                    conversation.replaceResponse(known, known.withSignature(signature));
                }
                return;
            }
            boolean alreadyCounted =
                    conversation.responses().stream().anyMatch(response -> response.overlaps(first.at(), answer.at()));
            if (alreadyCounted) {
                // A business message that arrived after another answer counted its customer messages.
                late(LateMeasurement.RESPONSE_TIME);
                conversation.addResponse(
                        new EmittedResponse(answer.messageId(), first.at(), answer.at(), signature, true));
                return;
            }
            long lastArrival = answer.arrivedAt();
            for (CustomerMessage message : answered) {
                lastArrival = Math.max(lastArrival, message.arrivedAt());
            }
            if (!ready(lastArrival, answer.at())) {
                return;
            }
            Window window = windowAt(conversation, answer.at());
            emit(ResponseTimeMeasurement.newBuilder()
                    .setMeasurementId(id("response", answer.messageId()))
                    .setPhoneNumberId(conversation.phoneNumberId())
                    .setContactId(conversation.contactId())
                    .setOccurredAt(answer.at())
                    .setWaitingSince(first.at())
                    .setCustomerMessageId(first.messageId())
                    .setCustomerMessages(answered.size())
                    .setBusinessMessageId(answer.messageId())
                    .setResponderKind(answer.responderKind())
                    .setTeam(answer.team())
                    .setAgentId(answer.agentId())
                    .setResponseTimeMillis(millisBetween(first.at(), answer.at()))
                    .setWindowOpenedAt(window == null ? null : window.openedAt())
                    .build());
            conversation.addResponse(
                    new EmittedResponse(answer.messageId(), first.at(), answer.at(), signature, false));
        }

        void firstResponses() {
            List<Window> windows = List.copyOf(conversation.windows());
            for (int i = 0; i < windows.size(); i++) {
                Window window = windows.get(i);
                BusinessMessage first = firstBusinessMessageIn(conversation, window, i);
                if (first == null || conversation.openedBySurveyAnswer(window)) {
                    // A survey answer starts no clock: no first response runs from it.
                    continue;
                }
                Instant expiresAt = expiryAt(conversation, window, first.at());
                long signature = Objects.hash(first.messageId(), first.at(), expiresAt);
                if (window.emitted().firstResponse()) {
                    if (window.emitted().firstResponseSignature() != signature && !pruned(window)) {
                        late(LateMeasurement.FIRST_RESPONSE);
                        conversation.replaceWindow(window.withEmitted(window.emitted()
                                .withFirstResponse(window.emitted().firstResponseAt(), signature)));
                    }
                    continue;
                }
                long lastArrival = Math.max(first.arrivedAt(), eventArrival(window));
                for (CustomerMessage message : conversation.customers()) {
                    if (!message.at().isBefore(window.openedAt())
                            && !message.at().isAfter(first.at())) {
                        lastArrival = Math.max(lastArrival, message.arrivedAt());
                    }
                }
                if (!ready(lastArrival, window.openedAt())) {
                    continue;
                }
                emit(FirstResponseMeasurement.newBuilder()
                        .setMeasurementId(id("first-response", window.openedAt().toEpochMilli()))
                        .setPhoneNumberId(conversation.phoneNumberId())
                        .setContactId(conversation.contactId())
                        .setOccurredAt(first.at())
                        .setWindowOpenedAt(window.openedAt())
                        .setOpeningMessageId(
                                window.opening() == null
                                        ? null
                                        : window.opening().openingMessageId())
                        .setBusinessMessageId(first.messageId())
                        .setResponderKind(first.responderKind())
                        .setTeam(first.team())
                        .setAgentId(first.agentId())
                        .setFirstResponseTimeMillis(millisBetween(window.openedAt(), first.at()))
                        .setWindowExpiresAt(expiresAt)
                        .setHeadroomMillis(millisBetween(first.at(), expiresAt))
                        .build());
                conversation.replaceWindow(
                        window.withEmitted(window.emitted().withFirstResponse(first.at(), signature)));
            }
        }

        void windowsClosed() {
            List<Window> windows = List.copyOf(conversation.windows());
            for (Window window : windows) {
                Window.Closing closing = window.closing();
                if (closing == null) {
                    continue;
                }
                Instant closedAt = closing.closedAt();
                BusinessMessage firstAnswer = null;
                BusinessMessage lastAnswer = null;
                long lastArrival = closing.arrivedAt();
                for (BusinessMessage message : conversation.business()) {
                    if (inside(message.at(), window.openedAt(), closedAt)) {
                        firstAnswer = firstAnswer == null ? message : firstAnswer;
                        lastAnswer = message;
                        lastArrival = Math.max(lastArrival, message.arrivedAt());
                    }
                }
                boolean sawCustomers = false;
                Instant waitingSince = null;
                for (CustomerMessage message : conversation.customers()) {
                    if (inside(message.at(), window.openedAt(), closedAt)) {
                        sawCustomers = true;
                        lastArrival = Math.max(lastArrival, message.arrivedAt());
                        if (waitingSince == null
                                && (lastAnswer == null || message.at().isAfter(lastAnswer.at()))) {
                            waitingSince = message.at();
                        }
                    }
                }
                Instant firstResponseAt = window.emitted().firstResponse()
                        ? window.emitted().firstResponseAt()
                        : firstAnswer == null ? null : firstAnswer.at();
                boolean replied = firstResponseAt != null;
                boolean surveyOpened = conversation.openedBySurveyAnswer(window);
                // Opened by a survey answer and nothing asked after it: the business owed no reply.
                boolean surveyAnswerOnly = surveyOpened && !sawCustomers;
                if (!sawCustomers && !surveyOpened) {
                    // This service did not see the window's customer messages (they predate its horizon or its
                    // start): the window-service's own account stands.
                    replied = replied || closing.reportedReplied();
                    waitingSince = closing.reportedWaitingSince();
                }
                long signature = Objects.hash(replied, firstResponseAt, waitingSince, surveyAnswerOnly);
                if (window.emitted().closed()) {
                    if (window.emitted().closedSignature() != signature && !pruned(window)) {
                        late(LateMeasurement.WINDOW_CLOSED);
                        conversation.replaceWindow(
                                window.withEmitted(window.emitted().withClosed(signature)));
                    }
                    continue;
                }
                if (!ready(lastArrival, window.openedAt())) {
                    continue;
                }
                emit(WindowClosedMeasurement.newBuilder()
                        .setMeasurementId(id("window-closed", window.openedAt().toEpochMilli()))
                        .setPhoneNumberId(conversation.phoneNumberId())
                        .setContactId(conversation.contactId())
                        .setOccurredAt(closedAt)
                        .setWindowOpenedAt(window.openedAt())
                        .setCloseReason(closing.reason())
                        .setBusinessReplied(replied)
                        .setFirstResponseAt(firstResponseAt)
                        .setCustomerWaitingSince(waitingSince)
                        .setSurveyAnswerOnly(surveyAnswerOnly)
                        .setLate(window.late())
                        .build());
                conversation.replaceWindow(window.withEmitted(window.emitted().withClosed(signature)));
            }
        }

        /** Part of the window's timeline was pruned: a different derivation is no late record. */
        private boolean pruned(Window window) {
            Instant prunedUntil = conversation.prunedUntil();
            return prunedUntil != null && !window.openedAt().isAfter(prunedUntil);
        }

        private static long eventArrival(Window window) {
            long arrival = 0;
            if (window.opening() != null) {
                arrival = window.opening().arrivedAt();
            }
            if (window.closing() != null) {
                arrival = Math.max(arrival, window.closing().arrivedAt());
            }
            return arrival;
        }

        private static boolean inside(Instant at, Instant from, Instant until) {
            return !at.isBefore(from) && at.isBefore(until);
        }

        private String id(String kind, Object discriminator) {
            return conversation.contactKey() + ':' + kind + ':' + discriminator;
        }

        private static long millisBetween(Instant from, Instant to) {
            return Math.max(0, to.toEpochMilli() - from.toEpochMilli());
        }
    }
}
