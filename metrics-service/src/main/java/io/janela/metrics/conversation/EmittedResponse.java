package io.janela.metrics.conversation;

import java.time.Instant;

/**
 * A response time already derived for a business message: emitted, or suppressed because the customer messages it
 * would answer were already counted in another response when it arrived. {@code signature} is a hash of the values
 * last derived for it, so that a late record changing them is counted as late once.
 */
record EmittedResponse(String businessMessageId, Instant from, Instant to, long signature, boolean suppressed) {

    boolean overlaps(Instant otherFrom, Instant otherTo) {
        return !suppressed && !from.isAfter(otherTo) && !otherFrom.isAfter(to);
    }

    EmittedResponse withSignature(long newSignature) {
        return new EmittedResponse(businessMessageId, from, to, newSignature, suppressed);
    }
}
