package io.janela.window.query;

import org.springframework.http.MediaType;

/** The outcome of looking a contact's window up, on this instance or on the one that owns it. */
sealed interface WindowLookup {

    /** This instance owns the contact and knows its window. */
    record Found(WindowView view, String servedBy) implements WindowLookup {}

    /** This instance owns the contact and knows nothing of it. */
    record NotFound(String servedBy) implements WindowLookup {}

    /** Another instance owns the contact; this is its answer, as it gave it. */
    record Relayed(int status, MediaType contentType, byte[] body, String servedBy) implements WindowLookup {}

    /** Nobody can answer right now (starting, rebalancing, owner unreachable): try again shortly. */
    record Unavailable(String reason) implements WindowLookup {}

    /** The path does not name a contact. */
    record Invalid(String reason) implements WindowLookup {}
}
