package io.janela.metrics.summary;

import io.janela.avro.CloseReason;
import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.avro.SurveyPath;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** What one measurement adds to its phone number's summary, at its event time: each kind says only what it adds. */
sealed interface SummaryContribution {

    String phoneNumberId();

    Instant occurredAt();

    record WindowOpened(String phoneNumberId, Instant occurredAt, boolean firstTimeContact)
            implements SummaryContribution {}

    record WindowClosed(
            String phoneNumberId,
            Instant occurredAt,
            boolean replied,
            boolean customerWaiting,
            boolean expiredWhileWaiting)
            implements SummaryContribution {}

    /** @param agentId the agent the answering request named, as written; null when none */
    record FirstResponse(String phoneNumberId, Instant occurredAt, long millis, long headroomMillis, String agentId)
            implements SummaryContribution {}

    /** @param agentId the agent the answering request named, as written; null when none */
    record Response(String phoneNumberId, Instant occurredAt, long millis, String agentId)
            implements SummaryContribution {}

    /**
     * A survey delivered, or answered with a score.
     *
     * @param score 1 to 5 for an answer; null for a delivered survey
     * @param path {@code in_window}, {@code template} or {@code unknown}, as the meters label it
     */
    record Survey(String phoneNumberId, Instant occurredAt, Integer score, String agentId, String team, String path)
            implements SummaryContribution {

        boolean delivered() {
            return score == null;
        }
    }

    /**
     * The contribution of a window or response measurement, or of a survey delivered or answered (with a score from 1
     * to 5); empty for the others, and for a window a survey answer opened (when closed: unless the customer asked
     * something in it).
     */
    static Optional<SummaryContribution> of(Object measurement) {
        return Optional.ofNullable(
                switch (measurement) {
                    // A window a survey answer opened is no conversation (DESIGN.md §4): no contribution.
                    case WindowOpenedMeasurement opened when opened.getOpenedBySurveyAnswer() -> null;
                    case WindowClosedMeasurement closed when closed.getSurveyAnswerOnly() -> null;
                    case WindowOpenedMeasurement opened ->
                        new WindowOpened(opened.getPhoneNumberId(), opened.getOccurredAt(), opened.getFirstContact());
                    case WindowClosedMeasurement closed -> {
                        boolean waiting = closed.getCustomerWaitingSince() != null;
                        yield new WindowClosed(
                                closed.getPhoneNumberId(),
                                closed.getOccurredAt(),
                                closed.getBusinessReplied(),
                                waiting,
                                waiting && closed.getCloseReason() == CloseReason.EXPIRED);
                    }
                    case FirstResponseMeasurement first ->
                        new FirstResponse(
                                first.getPhoneNumberId(),
                                first.getOccurredAt(),
                                first.getFirstResponseTimeMillis(),
                                first.getHeadroomMillis(),
                                first.getAgentId());
                    case ResponseTimeMeasurement response ->
                        new Response(
                                response.getPhoneNumberId(),
                                response.getOccurredAt(),
                                response.getResponseTimeMillis(),
                                response.getAgentId());
                    case SurveyEvent survey
                    when counted(survey) ->
                        new Survey(
                                survey.getPhoneNumberId(),
                                survey.getOccurredAt(),
                                survey.getKind() == SurveyEventKind.ANSWERED ? survey.getScore() : null,
                                survey.getAgentId(),
                                survey.getTeam(),
                                path(survey.getPath()));
                    default -> null;
                });
    }

    /** A DELIVERED survey, or an ANSWERED one with a score from 1 to 5. */
    static boolean counted(SurveyEvent survey) {
        return survey.getKind() == SurveyEventKind.DELIVERED
                || (survey.getKind() == SurveyEventKind.ANSWERED
                        && survey.getScore() != null
                        && survey.getScore() >= 1
                        && survey.getScore() <= 5);
    }

    private static String path(SurveyPath path) {
        return (path == null ? SurveyPath.UNKNOWN : path).name().toLowerCase(Locale.ROOT);
    }
}
