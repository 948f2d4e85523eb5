package io.janela.metrics.conversation;

import io.janela.avro.SurveyEvent;
import io.janela.avro.SurveyEventKind;

/**
 * The survey-service's ANSWERED events (whatsapp.survey-events) that name the customer's answering message: the
 * conversation step takes that message out of what waits for an answer. This is how a free-text answer ("5") is told
 * apart from a question, which only the survey's state can say; a tap is recognised without it
 * ({@link CustomerMessageKinds}).
 */
public final class SurveyAnswerEvents {

    private SurveyAnswerEvents() {}

    /** An ANSWERED event naming the answering message. */
    public static boolean namesAnAnswer(SurveyEvent event) {
        return event != null
                && event.getKind() == SurveyEventKind.ANSWERED
                && event.getAnswerMessageId() != null
                && !event.getAnswerMessageId().isBlank();
    }
}
