package io.janela.survey.rules;

import java.time.Instant;

/** What a step did to a survey; the processor turns each into a SurveyEvent or an OutboundRequest. */
public sealed interface SurveyChange {

    Survey survey();

    /** The delay ran out: ask dispatch to send it (no event: SENT or SKIPPED follows from the dispatch result). */
    record Requested(Survey survey) implements SurveyChange {}

    /** Dispatch sent it. */
    record Sent(Survey survey) implements SurveyChange {}

    /** Meta reported it delivered at {@code at} (or the customer answered it, which says as much). */
    record Delivered(Survey survey, Instant at) implements SurveyChange {}

    /** It was not sent, for {@code reason}; {@code at} is when that was known; {@code path} the one refused, if any. */
    record Skipped(Survey survey, SkipReason reason, SurveyPath path, Instant at) implements SurveyChange {}

    /** The customer answered {@code score} with message {@code messageId} at {@code at} (Meta time), in {@code form}. */
    record Answered(Survey survey, int score, AnswerForm form, String messageId, Instant at) implements SurveyChange {}

    /** No answer in time. */
    record Expired(Survey survey, Instant at) implements SurveyChange {}

    /** The customer wrote something else first (at {@code at}, Meta time): the conversation goes on. */
    record Cancelled(Survey survey, Instant at) implements SurveyChange {}
}
