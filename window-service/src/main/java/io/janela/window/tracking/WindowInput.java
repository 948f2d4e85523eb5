package io.janela.window.tracking;

import io.janela.avro.CallEvent;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageEcho;
import io.janela.avro.MessageStatus;

/** One record of the input topics, merged into one stream for the window processor. */
sealed interface WindowInput {

    record Inbound(InboundMessage message) implements WindowInput {}

    record Status(MessageStatus status) implements WindowInput {}

    record Dispatched(DispatchResult result) implements WindowInput {}

    record Call(CallEvent call) implements WindowInput {}

    record Echo(MessageEcho echo) implements WindowInput {}
}
