package io.janela.ingress.parse;

/**
 * A body that could not be read as a webhook envelope at all; nothing of it is published and it is dead-lettered.
 *
 * @param reason the dead-letter reason
 * @param cause a sentence for people; positions and field names only, never content
 * @param exception the class of the exception that rejected the body, or null
 */
public record EnvelopeFailure(DeadLetterReason reason, String cause, String exception) {}
