package io.janela.survey.rules;

import io.janela.contract.SurveyAnswers;
import io.janela.survey.rules.Survey.Status;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * The survey rules as pure functions over a contact's {@link ContactSurveys}; no Kafka. Each method returns the new
 * state and what changed. "Now" is the caller's clock (the processor's wall clock); message times are Meta's.
 *
 * <ul>
 *   <li>one survey in progress per contact; one per conversation (the window it was triggered in); at most one sent
 *       per throttle period;
 *   <li>a resolution waits {@code delay}; a conversational customer message from the resolution on cancels it;
 *   <li>once sent, the answer is a tap naming the survey (or quoting its wamid), or a text starting with 1–5, before
 *       {@code expiresAt}; any other conversational message cancels it; a second answer counts nothing.
 * </ul>
 */
public final class SurveyRules {

    private final SurveyPolicy policy;

    public SurveyRules(SurveyPolicy policy) {
        this.policy = policy;
    }

    public Step onResolution(ContactSurveys state, Resolution resolution) {
        Ignored refused = refusesTrigger(state, resolution.surveyId());
        if (refused != null) {
            return Step.ignored(state, refused);
        }
        Subject subject = resolution.subject().withConversation(state.windowOpenedAt());
        Survey survey = Survey.pending(
                resolution.surveyId(),
                Trigger.RESOLUTION,
                subject,
                resolution.resolvedAt(),
                resolution.resolvedAt().plus(policy.delay()));
        if (state.lastCustomerMessageAt() != null
                && !state.lastCustomerMessageAt().isBefore(resolution.resolvedAt())) {
            // The customer wrote after the resolution, before this service heard of it: the conversation went on.
            ContactSurveys with = state.withCurrent(survey);
            return Step.to(state, with.closed(), new SurveyChange.Cancelled(survey, state.lastCustomerMessageAt()));
        }
        return Step.to(state, state.withCurrent(survey));
    }

    /** The window policy: a survey as the window closes, if the business replied in it. */
    public Step onClosingSoon(ContactSurveys state, ClosingSoon closingSoon, Instant now) {
        ContactSurveys seen = state.withWindowOpenedAt(closingSoon.windowOpenedAt());
        if (!closingSoon.businessReplied()) {
            return Step.ignored(state, seen, Ignored.NO_BUSINESS_REPLY);
        }
        Ignored refused = refusesTrigger(seen, closingSoon.surveyId());
        if (refused == null && closingSoon.windowOpenedAt().equals(seen.surveyedWindowOpenedAt())) {
            refused = Ignored.ALREADY_SURVEYED;
        }
        if (refused != null) {
            return Step.ignored(state, seen, refused);
        }
        Survey survey = Survey.pending(
                closingSoon.surveyId(),
                Trigger.WINDOW_POLICY,
                closingSoon.subject().withConversation(closingSoon.windowOpenedAt()),
                closingSoon.at(),
                now);
        return Step.to(state, seen.withCurrent(survey));
    }

    /** A window opened: the contact's conversation from now on. */
    public Step onWindowOpened(ContactSurveys state, Instant windowOpenedAt) {
        return Step.to(state, state.withWindowOpenedAt(windowOpenedAt));
    }

    public Step onCustomerMessage(ContactSurveys state, CustomerMessage message) {
        ContactSurveys seen = state.withCustomerMessageAt(message.at());
        Survey survey = state.current();
        if (survey == null) {
            return isAnswerToClosed(state, message)
                    ? Step.ignored(state, seen, Ignored.SECOND_ANSWER)
                    : Step.to(state, seen);
        }
        boolean continues = message.conversational() && !message.at().isBefore(survey.triggeredAt());
        return switch (survey.status()) {
            case PENDING ->
                continues
                        ? Step.to(state, seen.closed(), new SurveyChange.Cancelled(survey, message.at()))
                        : Step.to(state, seen);
            case REQUESTED -> {
                if (survey.surveyId().equals(SurveyAnswers.surveyIdOf(message.replyCode()))
                        && SurveyAnswers.scoreOfCode(message.replyCode()).isPresent()) {
                    yield onTapBeforeResult(state, seen, survey, message);
                }
                yield continues ? Step.to(state, seen.withCurrent(survey.customerWrote())) : Step.to(state, seen);
            }
            case OPEN -> onMessageWhileOpen(state, seen, survey, message);
        };
    }

    /**
     * A tap on this survey before dispatch's result came (the topics are read in no fixed order): the tap proves the
     * survey reached the customer. It is SENT (wamid: the tap's {@code context.id}; sent at the tap's time at the
     * latest, so the throttle counts from then; path: a template quick reply is the template, else the list),
     * DELIVERED and ANSWERED at once; the result arriving later finds no survey in progress (stale).
     */
    private Step onTapBeforeResult(ContactSurveys state, ContactSurveys seen, Survey survey, CustomerMessage message) {
        SurveyPath path = message.replyForm() == AnswerForm.QUICK_REPLY ? SurveyPath.TEMPLATE : SurveyPath.IN_WINDOW;
        Instant sentAt = message.at();
        Survey open = survey.open(message.contextMessageId(), path, sentAt, sentAt.plus(policy.answerWindow()))
                .deliveredNow();
        return Step.to(
                state,
                seen.withCurrent(open).withLastSentAt(sentAt).closed(),
                new SurveyChange.Sent(open),
                new SurveyChange.Delivered(open, message.at()),
                new SurveyChange.Answered(
                        open,
                        SurveyAnswers.scoreOfCode(message.replyCode()).getAsInt(),
                        message.replyForm(),
                        message.messageId(),
                        message.at()));
    }

    private Step onMessageWhileOpen(ContactSurveys state, ContactSurveys seen, Survey survey, CustomerMessage message) {
        String named = SurveyAnswers.surveyIdOf(message.replyCode());
        if (named != null && !named.equals(survey.surveyId())) {
            // A tap on an older survey's list: an answer, but not to this one.
            return Step.ignored(state, seen, Ignored.SECOND_ANSWER);
        }
        OptionalInt score = score(survey, message);
        if (score.isPresent()) {
            if (!message.at().isBefore(survey.expiresAt())) {
                return Step.to(state, seen.closed(), new SurveyChange.Expired(survey, survey.expiresAt()));
            }
            AnswerForm form = message.replyCode() == null ? AnswerForm.FREE_TEXT : message.replyForm();
            SurveyChange answered =
                    new SurveyChange.Answered(survey, score.getAsInt(), form, message.messageId(), message.at());
            return survey.delivered()
                    ? Step.to(state, seen.closed(), answered)
                    : Step.to(
                            state,
                            seen.closed(),
                            new SurveyChange.Delivered(survey.deliveredNow(), message.at()),
                            answered);
        }
        if (message.conversational() && !message.at().isBefore(survey.sentAt())) {
            return Step.to(state, seen.closed(), new SurveyChange.Cancelled(survey, message.at()));
        }
        return Step.to(state, seen);
    }

    /** A tap naming the survey, a reply quoting it, or free text while it is open. */
    private static OptionalInt score(Survey survey, CustomerMessage message) {
        OptionalInt tapped = SurveyAnswers.scoreOfCode(message.replyCode());
        if (tapped.isPresent()) {
            return tapped;
        }
        if (message.replyCode() != null) {
            return OptionalInt.empty();
        }
        return SurveyAnswers.scoreOfText(message.text());
    }

    private static boolean isAnswerToClosed(ContactSurveys state, CustomerMessage message) {
        if (SurveyAnswers.isSurveyCode(message.replyCode())) {
            return true;
        }
        return state.closedWamid() != null && state.closedWamid().equals(message.contextMessageId());
    }

    /** Meta reported message {@code wamid} delivered (or read) at {@code at}. */
    public Step onDelivered(ContactSurveys state, String wamid, Instant at) {
        Survey survey = state.current();
        if (survey == null || survey.status() != Status.OPEN || survey.delivered() || !wamid.equals(survey.wamid())) {
            return Step.to(state, state);
        }
        Survey delivered = survey.deliveredNow();
        return Step.to(state, state.withCurrent(delivered), new SurveyChange.Delivered(delivered, at));
    }

    public Step onSendOutcome(ContactSurveys state, SendOutcome outcome, Instant now) {
        Survey survey = state.current();
        if (survey == null || !survey.surveyId().equals(outcome.surveyId())) {
            return Step.ignored(state, Ignored.STALE_RESULT);
        }
        return switch (outcome.kind()) {
            case SENT -> {
                if (survey.status() != Status.REQUESTED) {
                    yield Step.ignored(state, Ignored.STALE_RESULT);
                }
                Instant sentAt = outcome.at() == null ? now : outcome.at();
                Survey open = survey.open(outcome.wamid(), outcome.path(), sentAt, sentAt.plus(policy.answerWindow()));
                ContactSurveys sent = state.withCurrent(open).withLastSentAt(sentAt);
                if (survey.customerWroteSinceRequest()) {
                    // It went out while the customer was writing about something else: counted sent, then cancelled.
                    yield Step.to(
                            state,
                            sent.closed(),
                            new SurveyChange.Sent(open),
                            new SurveyChange.Cancelled(open, state.lastCustomerMessageAt()));
                }
                yield Step.to(state, sent, new SurveyChange.Sent(open));
            }
            case NOT_SENT ->
                survey.status() == Status.REQUESTED
                        ? Step.to(
                                state,
                                state.closed(),
                                new SurveyChange.Skipped(survey, outcome.reason(), outcome.path(), atOr(outcome, now)))
                        : Step.ignored(state, Ignored.STALE_RESULT);
            case UNDELIVERED -> {
                if (survey.status() != Status.OPEN || !isSameMessage(survey, outcome)) {
                    yield Step.ignored(state, Ignored.STALE_RESULT);
                }
                if (outcome.metaErrorCode() != null && outcome.metaErrorCode() == SendOutcome.REENGAGEMENT_REQUIRED) {
                    // Dispatch sends the fallback template, if the request had one (FALLBACK_SENT follows);
                    // otherwise the survey expires unanswered.
                    yield Step.ignored(state, null);
                }
                yield Step.to(
                        state,
                        state.closed(),
                        new SurveyChange.Skipped(survey, SkipReason.SEND_FAILED, survey.path(), atOr(outcome, now)));
            }
            case FALLBACK_SENT ->
                survey.status() == Status.OPEN
                        ? Step.to(
                                state,
                                state.withCurrent(survey.open(
                                        outcome.wamid(), SurveyPath.TEMPLATE, survey.sentAt(), survey.expiresAt())))
                        : Step.ignored(state, Ignored.STALE_RESULT);
            case OTHER -> Step.ignored(state, null);
        };
    }

    /** The punctuation: a PENDING survey whose delay ran out is asked (or throttled); an OPEN one expires. */
    public Step onDue(ContactSurveys state, Instant now) {
        Survey survey = state.current();
        Instant due = nextDeadline(state);
        if (due == null || due.isAfter(now)) {
            return Step.to(state, state);
        }
        if (survey.status() == Status.OPEN) {
            return Step.to(state, state.closed(), new SurveyChange.Expired(survey, survey.expiresAt()));
        }
        ContactSurveys surveyed = state.surveyed(survey.subject().conversationOpenedAt());
        if (state.lastSentAt() != null && now.isBefore(state.lastSentAt().plus(policy.throttlePeriod()))) {
            return Step.to(
                    state,
                    surveyed.withCurrent(survey).closed(),
                    new SurveyChange.Skipped(survey, SkipReason.THROTTLED, null, now));
        }
        Survey requested = survey.requested(now);
        return Step.to(state, surveyed.withCurrent(requested), new SurveyChange.Requested(requested));
    }

    /** When the contact's survey next needs the clock: a PENDING survey's due time, an OPEN one's expiry. */
    public static Instant nextDeadline(ContactSurveys state) {
        Survey survey = state == null ? null : state.current();
        if (survey == null) {
            return null;
        }
        return switch (survey.status()) {
            case PENDING -> survey.dueAt();
            case OPEN -> survey.expiresAt();
            case REQUESTED -> null;
        };
    }

    private static Ignored refusesTrigger(ContactSurveys state, String surveyId) {
        Survey current = state.current();
        if ((current != null && current.surveyId().equals(surveyId)) || surveyId.equals(state.closedSurveyId())) {
            return Ignored.DUPLICATE_TRIGGER;
        }
        if (current != null) {
            return Ignored.SURVEY_IN_PROGRESS;
        }
        if (state.windowOpenedAt() != null && state.windowOpenedAt().equals(state.surveyedWindowOpenedAt())) {
            return Ignored.ALREADY_SURVEYED;
        }
        return null;
    }

    private static boolean isSameMessage(Survey survey, SendOutcome outcome) {
        return outcome.wamid() == null || outcome.wamid().equals(survey.wamid());
    }

    private static Instant atOr(SendOutcome outcome, Instant now) {
        return outcome.at() == null ? now : outcome.at();
    }
}
