package io.janela.sandbox.control;

import java.time.Instant;

/**
 * One send request as the sandbox saw it.
 *
 * @param outcome {@code ACCEPTED}, {@code ERROR} (answered with a Graph error) or {@code TIMEOUT} (not answered)
 * @param errorCode the Graph error code of an {@code ERROR}, or of the {@code failed} status an accepted message
 *     will get
 */
public record LoggedRequest(
        Instant receivedAt,
        String phoneNumberId,
        String recipient,
        String type,
        String templateName,
        String callbackData,
        String outcome,
        Integer errorCode,
        String wamid) {

    public boolean accepted() {
        return "ACCEPTED".equals(outcome);
    }
}
