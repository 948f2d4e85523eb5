package io.janela.survey.rules;

import java.time.Instant;

final class Times {

    private Times() {}

    static Instant latest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
