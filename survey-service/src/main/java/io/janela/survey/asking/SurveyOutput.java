package io.janela.survey.asking;

import io.janela.avro.OutboundRequest;
import io.janela.avro.SurveyEvent;

/** What the survey processor emits: survey events, and requests for dispatch. */
sealed interface SurveyOutput {

    record Event(SurveyEvent event) implements SurveyOutput {}

    record Request(OutboundRequest request) implements SurveyOutput {}
}
