package io.janela.metrics.summary;

import io.janela.avro.CloseReason;
import io.janela.avro.FirstResponseMeasurement;
import io.janela.avro.ResponseTimeMeasurement;
import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;
import io.janela.avro.WindowClosedMeasurement;
import io.janela.avro.WindowOpenedMeasurement;
import java.time.Instant;
import java.util.Optional;

/** What one measurement adds to its phone number's summary, at its event time. */
record SummaryContribution(
        String phoneNumberId,
        Instant occurredAt,
        boolean windowOpened,
        boolean firstTimeContact,
        boolean windowClosed,
        boolean replied,
        boolean customerWaiting,
        boolean expiredWhileWaiting,
        Long firstResponseMillis,
        Long headroomMillis,
        Long responseTimeMillis,
        boolean surveyDelivered,
        Integer surveyScore) {

    /**
     * The contribution of a window or response measurement, or of a survey delivered or answered (with a score from 1
     * to 5); empty for the others.
     */
    static Optional<SummaryContribution> of(Object measurement) {
        return Optional.ofNullable(
                switch (measurement) {
                    case WindowOpenedMeasurement opened ->
                        new SummaryContribution(
                                opened.getPhoneNumberId(),
                                opened.getOccurredAt(),
                                true,
                                opened.getFirstContact(),
                                false,
                                false,
                                false,
                                false,
                                null,
                                null,
                                null,
                                false,
                                null);
                    case WindowClosedMeasurement closed -> {
                        boolean waiting = closed.getCustomerWaitingSince() != null;
                        yield new SummaryContribution(
                                closed.getPhoneNumberId(),
                                closed.getOccurredAt(),
                                false,
                                false,
                                true,
                                closed.getBusinessReplied(),
                                waiting,
                                waiting && closed.getCloseReason() == CloseReason.EXPIRED,
                                null,
                                null,
                                null,
                                false,
                                null);
                    }
                    case FirstResponseMeasurement first ->
                        new SummaryContribution(
                                first.getPhoneNumberId(),
                                first.getOccurredAt(),
                                false,
                                false,
                                false,
                                false,
                                false,
                                false,
                                first.getFirstResponseTimeMillis(),
                                first.getHeadroomMillis(),
                                null,
                                false,
                                null);
                    case ResponseTimeMeasurement response ->
                        new SummaryContribution(
                                response.getPhoneNumberId(),
                                response.getOccurredAt(),
                                false,
                                false,
                                false,
                                false,
                                false,
                                false,
                                null,
                                null,
                                response.getResponseTimeMillis(),
                                false,
                                null);
                    case SurveyEvent survey
                    when counted(survey) ->
                        new SummaryContribution(
                                survey.getPhoneNumberId(),
                                survey.getOccurredAt(),
                                false,
                                false,
                                false,
                                false,
                                false,
                                false,
                                null,
                                null,
                                null,
                                survey.getKind() == SurveyEventKind.DELIVERED,
                                survey.getKind() == SurveyEventKind.ANSWERED ? survey.getScore() : null);
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
}
