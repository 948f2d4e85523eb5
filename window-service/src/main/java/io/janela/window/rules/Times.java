package io.janela.window.rules;

import java.time.Instant;

/** Null-tolerant min and max of instants: a missing time never wins. */
final class Times {

    private Times() {}

    static Instant max(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isAfter(b) ? a : b;
    }

    static Instant min(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return a.isBefore(b) ? a : b;
    }
}
