package io.janela.window.rules;

import java.time.Instant;
import java.util.Objects;

/**
 * Meta refused a free-form message with error 131047 (more than 24 hours since the customer last wrote): at that
 * time, by Meta's reckoning, the window was closed.
 *
 * @param at when Meta reported it (the failed status's timestamp)
 */
public record MetaClose(Instant at) {

    public MetaClose {
        Objects.requireNonNull(at, "at");
    }
}
