package io.janela.survey.rules;

import java.time.Instant;

/**
 * A contact's window will close soon (the window policy's trigger).
 *
 * @param surveyId the survey it would start (deterministic from the window)
 * @param subject who; no team, agent or reference
 * @param windowOpenedAt the window's opening time
 * @param at the CLOSING_SOON time
 * @param businessReplied whether the business replied in the window
 */
public record ClosingSoon(
        String surveyId, Subject subject, Instant windowOpenedAt, Instant at, boolean businessReplied) {}
