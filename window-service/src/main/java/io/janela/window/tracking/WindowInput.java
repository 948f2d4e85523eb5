package io.janela.window.tracking;

import io.janela.avro.AccountEvent;
import io.janela.avro.CallEvent;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;
import io.janela.window.tracking.avro.StoredContact;

/** One record of the input topics, merged into one stream for the window processor. */
sealed interface WindowInput {

    record Inbound(InboundMessage message) implements WindowInput {}

    record Status(MessageStatus status) implements WindowInput {}

    record Dispatched(DispatchResult result) implements WindowInput {}

    record Call(CallEvent call) implements WindowInput {}

    record Echo(MessageEcho echo) implements WindowInput {}

    /** A user_id_update, keyed by the contact of the previous id. */
    record UserIdChanged(AccountEvent event) implements WindowInput {}

    /** The state of a contact whose id changed, keyed by the contact of the new id (the handovers topic). */
    record Handover(StoredContact moved) implements WindowInput {}
}
