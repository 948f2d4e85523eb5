package io.janela.dispatch.rules;

import io.janela.avro.DispatchReason;
import io.janela.avro.MessageCategory;

/** Whether a template may be sent, and as what category. */
sealed interface TemplateVerdict {

    /** It may go; Meta will charge it as {@code category}. */
    record Allowed(MessageCategory category) implements TemplateVerdict {}

    /** It may not; {@code detail} is a sentence for people. */
    record Refused(DispatchReason reason, String detail, MessageCategory category) implements TemplateVerdict {}
}
