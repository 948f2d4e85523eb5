package io.janela.dispatch.decision;

import io.janela.avro.DispatchResult;
import io.janela.avro.OutboundRequest;
import io.janela.avro.SendCommand;

/** What the intake and decision processors emit; each kind goes to its own topic. */
sealed interface DecisionOutput {

    /** A valid request, keyed by its contact, on its way to the decision. */
    record ToDecide(OutboundRequest request) implements DecisionOutput {}

    /** A result to publish on whatsapp.dispatch-results; keyed by contact (or recipient). */
    record Result(DispatchResult result) implements DecisionOutput {}

    /** A send for the sender; keyed by contact. */
    record Command(SendCommand command) implements DecisionOutput {}

    /**
     * A business-initiated send, for the portfolio's messaging limit before the sender; keyed by contact. A held send
     * decided again carries its place ({@link HeldSends.Place}) in the headers; its command is null when the decision
     * ended it (refused, or sent inside a window that opened meanwhile): the limit then only frees the room it kept.
     */
    record BusinessInitiated(SendCommand command) implements DecisionOutput {}

    /**
     * A held send leaving the hold, to be decided again by the decision step with the state of now; keyed by contact,
     * its place ({@link HeldSends.Place}) in the headers.
     */
    record Redecide(OutboundRequest request) implements DecisionOutput {}

    /** A free-form send's checked fallback, for a later 131047; keyed by request id. */
    record FallbackPlan(SendCommand command) implements DecisionOutput {}

    /** A record for the dead-letter topic: the original key and value bytes; the headers say why. */
    record DeadLetter(byte[] key, byte[] value) implements DecisionOutput {}
}
