package io.janela.dispatch.correlation;

import io.janela.avro.DispatchResult;
import io.janela.avro.SendCommand;

/** A DELIVERY_FAILED result, or the fallback template to send; both keyed by contact. */
sealed interface CorrelationOutput {

    record Result(DispatchResult result) implements CorrelationOutput {}

    record Fallback(SendCommand command) implements CorrelationOutput {}
}
