package io.janela.dispatch.correlation;

import io.janela.avro.MessageStatus;
import io.janela.avro.SendCommand;

/** What the correlation processor joins, by request id: checked fallbacks of sends, and failed statuses. */
sealed interface CorrelationInput {

    record Plan(SendCommand command) implements CorrelationInput {}

    record Failure(MessageStatus status) implements CorrelationInput {}
}
