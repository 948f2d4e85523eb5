package io.janela.survey.rules;

import java.time.Instant;

/**
 * A contact's survey in progress.
 *
 * @param surveyId deterministic from its trigger, so that reprocessing gives the same id
 * @param trigger what started it
 * @param status where it is
 * @param subject who it goes to and what it is about
 * @param triggeredAt the resolution's time (or the CLOSING_SOON time): a customer message from then on cancels it
 * @param dueAt PENDING: when it is to be requested
 * @param requestedAt REQUESTED and later: when the OutboundRequest was produced (this service's clock)
 * @param customerWroteSinceRequest REQUESTED: the customer wrote something else while dispatch was sending it
 * @param wamid OPEN: the id Meta gave the survey message; answers quote it in {@code context.id}
 * @param path OPEN: how it was sent
 * @param sentAt OPEN: when Meta accepted it
 * @param expiresAt OPEN: answers count until then
 * @param delivered OPEN: a DELIVERED event was emitted for it
 */
public record Survey(
        String surveyId,
        Trigger trigger,
        Status status,
        Subject subject,
        Instant triggeredAt,
        Instant dueAt,
        Instant requestedAt,
        boolean customerWroteSinceRequest,
        String wamid,
        SurveyPath path,
        Instant sentAt,
        Instant expiresAt,
        boolean delivered) {

    /** Where a survey is. */
    public enum Status {
        /** Waiting for its delay (a customer message cancels it). */
        PENDING,
        /** Asked of dispatch; waiting for the dispatch result. */
        REQUESTED,
        /** Sent; waiting for an answer until {@code expiresAt}. */
        OPEN
    }

    static Survey pending(String surveyId, Trigger trigger, Subject subject, Instant triggeredAt, Instant dueAt) {
        return new Survey(
                surveyId,
                trigger,
                Status.PENDING,
                subject,
                triggeredAt,
                dueAt,
                null,
                false,
                null,
                null,
                null,
                null,
                false);
    }

    Survey requested(Instant at) {
        return new Survey(
                surveyId,
                trigger,
                Status.REQUESTED,
                subject,
                triggeredAt,
                dueAt,
                at,
                false,
                null,
                null,
                null,
                null,
                false);
    }

    Survey customerWrote() {
        return new Survey(
                surveyId,
                trigger,
                status,
                subject,
                triggeredAt,
                dueAt,
                requestedAt,
                true,
                wamid,
                path,
                sentAt,
                expiresAt,
                delivered);
    }

    Survey open(String messageId, SurveyPath sentPath, Instant sent, Instant expires) {
        return new Survey(
                surveyId,
                trigger,
                Status.OPEN,
                subject,
                triggeredAt,
                dueAt,
                requestedAt,
                customerWroteSinceRequest,
                messageId,
                sentPath,
                sent,
                expires,
                delivered);
    }

    Survey deliveredNow() {
        return new Survey(
                surveyId,
                trigger,
                status,
                subject,
                triggeredAt,
                dueAt,
                requestedAt,
                customerWroteSinceRequest,
                wamid,
                path,
                sentAt,
                expiresAt,
                true);
    }
}
