package io.janela.dispatch.graph;

/** What a call to {@code POST /{phone-number-id}/messages} came to. */
public sealed interface SendResponse {

    /**
     * Meta accepted the message (which is not delivery: statuses follow by webhook).
     *
     * @param wamid the message id statuses will name
     * @param messageStatus {@code accepted}, {@code held_for_quality_assessment} or {@code paused} (templates only)
     */
    record Accepted(String wamid, String waId, String userId, String messageStatus) implements SendResponse {}

    /**
     * Meta answered with an error.
     *
     * @param error the Graph error, or null when the answer was not one (a gateway's 5xx page)
     */
    record Refused(int httpStatus, GraphError error) implements SendResponse {}

    /**
     * No answer came.
     *
     * @param possiblySent false when the request never left (no connection); true when it may have reached Meta and
     *     been accepted (a timeout or a connection lost after sending): the send is in doubt
     */
    record Unanswered(boolean possiblySent, String cause) implements SendResponse {}
}
