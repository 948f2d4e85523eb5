package io.janela.dispatch.decision;

import io.janela.avro.ContactWindow;
import io.janela.avro.OutboundRequest;
import io.janela.avro.UserPreference;

/**
 * A request on its contact's partition, with the contact's window and marketing preference as the tables held them
 * when it arrived (either may be null).
 */
record Arrival(OutboundRequest request, ContactWindow window, UserPreference preference) {

    Arrival withPreference(UserPreference preference) {
        return new Arrival(request, window, preference);
    }
}
