package io.janela.metrics.message;

import io.janela.avro.Origin;
import io.janela.avro.ResponderKind;

/** The responder kind of a message Janela sent, from its request's origin. */
final class ResponderKinds {

    private ResponderKinds() {}

    static ResponderKind of(Origin origin) {
        if (origin == null) {
            return ResponderKind.UNKNOWN;
        }
        return switch (origin) {
            case AGENT -> ResponderKind.AGENT;
            case BOT -> ResponderKind.BOT;
            case SYSTEM -> ResponderKind.SYSTEM;
            case CAMPAIGN -> ResponderKind.CAMPAIGN;
            case UNKNOWN -> ResponderKind.UNKNOWN;
        };
    }
}
