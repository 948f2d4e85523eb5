package io.janela.window.tracking;

import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageStatus;

/** One record of the three input topics, merged into one stream for the window processor. */
sealed interface WindowInput {

    record Inbound(InboundMessage message) implements WindowInput {}

    record Status(MessageStatus status) implements WindowInput {}

    record Dispatched(DispatchResult result) implements WindowInput {}
}
