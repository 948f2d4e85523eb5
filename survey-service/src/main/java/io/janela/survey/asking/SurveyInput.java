package io.janela.survey.asking;

import io.janela.avro.ConversationResolution;
import io.janela.avro.DispatchResult;
import io.janela.avro.InboundMessage;
import io.janela.avro.MessageStatus;
import io.janela.avro.WindowEvent;

/** The records the survey processor reads, from five topics merged into one stream keyed by contact. */
sealed interface SurveyInput {

    record Resolved(ConversationResolution resolution) implements SurveyInput {}

    record Inbound(InboundMessage message) implements SurveyInput {}

    record Dispatched(DispatchResult result) implements SurveyInput {}

    record Status(MessageStatus status) implements SurveyInput {}

    record Window(WindowEvent event) implements SurveyInput {}
}
