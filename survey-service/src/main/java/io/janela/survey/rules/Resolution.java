package io.janela.survey.rules;

import java.time.Instant;

/**
 * A company system resolved a conversation.
 *
 * @param surveyId the survey it would start (deterministic from the resolution)
 * @param subject who and what
 * @param resolvedAt when it was resolved
 */
public record Resolution(String surveyId, Subject subject, Instant resolvedAt) {}
