package io.janela.dispatch.decision;

import io.janela.avro.ContactWindow;
import io.janela.avro.OutboundRequest;

/** A request on its contact's partition, with the contact's window as the table held it when it arrived (or null). */
record Arrival(OutboundRequest request, ContactWindow window) {}
