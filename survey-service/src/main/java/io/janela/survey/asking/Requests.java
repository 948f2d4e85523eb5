package io.janela.survey.asking;

import io.janela.avro.InteractiveKind;
import io.janela.avro.InteractivePayload;
import io.janela.avro.ListRow;
import io.janela.avro.ListSection;
import io.janela.avro.Origin;
import io.janela.avro.OutboundRequest;
import io.janela.avro.Recipient;
import io.janela.avro.TemplateButtonParameters;
import io.janela.avro.TemplateButtonType;
import io.janela.avro.TemplateParameter;
import io.janela.avro.TemplateParameterType;
import io.janela.avro.TemplatePayload;
import io.janela.contract.SurveyAnswers;
import io.janela.survey.rules.Subject;
import io.janela.survey.rules.Survey;
import java.util.ArrayList;
import java.util.List;

/**
 * The OutboundRequest that asks dispatch to send a survey, so that every window, template, opt-out and pacing rule
 * stays in dispatch: the in-window list as the payload and, when the number has a survey template and the resolution
 * a reference to name, that template as the fallback dispatch sends when the window is closed (or Meta answers
 * 131047). Without a fallback, a closed window is refused (SKIPPED window_closed).
 */
final class Requests {

    private final SurveySettings settings;

    Requests(SurveySettings settings) {
        this.settings = settings;
    }

    OutboundRequest request(Survey survey) {
        Subject subject = survey.subject();
        SurveyTexts texts = settings.texts(subject.language());
        List<ListRow> rows = new ArrayList<>(5);
        for (int score = SurveyAnswers.HIGHEST; score >= SurveyAnswers.LOWEST; score--) {
            rows.add(new ListRow(
                    SurveyAnswers.code(survey.surveyId(), score),
                    texts.scoreTitles().get(score - 1),
                    null));
        }
        InteractivePayload list = InteractivePayload.newBuilder()
                .setKind(InteractiveKind.LIST)
                .setBody(texts.body())
                .setListButtonText(texts.button())
                .setSections(List.of(new ListSection(texts.sectionTitle(), rows)))
                .build();
        return OutboundRequest.newBuilder()
                .setRequestId(SurveyIds.requestId(survey.surveyId()))
                .setPhoneNumberId(subject.phoneNumberId())
                .setRecipient(new Recipient(subject.recipientPhone(), subject.recipientUserId()))
                .setCreatedAt(survey.requestedAt())
                .setExpiresAt(survey.requestedAt().plus(settings.sendWithin()))
                .setOrigin(Origin.SYSTEM)
                .setPayload(list)
                .setFallbackTemplate(fallback(survey))
                .setTeam(subject.team())
                .setAgentId(subject.agentId())
                .setSurveyId(survey.surveyId())
                .build();
    }

    /** Whether a survey can take the template path: a template for its number, and a reference to name. */
    boolean hasTemplatePath(Subject subject) {
        return settings.template(subject.phoneNumberId()) != null
                && subject.reference() != null
                && !subject.reference().isBlank();
    }

    private TemplatePayload fallback(Survey survey) {
        if (!hasTemplatePath(survey.subject())) {
            return null;
        }
        SurveyTemplate template = settings.template(survey.subject().phoneNumberId());
        List<TemplateButtonParameters> buttons = new ArrayList<>();
        for (int index = 0; index < template.buttonScores().size(); index++) {
            buttons.add(TemplateButtonParameters.newBuilder()
                    .setSubType(TemplateButtonType.QUICK_REPLY)
                    .setIndex(index)
                    .setParameters(List.of(TemplateParameter.newBuilder()
                            .setType(TemplateParameterType.PAYLOAD)
                            .setText(SurveyAnswers.code(
                                    survey.surveyId(), template.buttonScores().get(index)))
                            .build()))
                    .build());
        }
        return TemplatePayload.newBuilder()
                .setName(template.name())
                .setLanguage(template.language())
                .setBodyParameters(List.of(TemplateParameter.newBuilder()
                        .setType(TemplateParameterType.TEXT)
                        .setText(survey.subject().reference())
                        .build()))
                .setButtons(buttons)
                .build();
    }
}
